//! The Lightpath server binary: read the configuration, start, serve until stopped.
//! Any start-up problem ends the process with one line saying what to fix, and exit code 1.

use server::config::Config;
use server::startup::Application;
use server::telemetry;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => return fail(&error),
    };
    telemetry::init(config.log_format);
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) => return fail(&error),
    };
    tracing::info!(address = %app.address(), "Lightpath is listening: open http://{}", app.address());
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("lightpath: {error}");
    ExitCode::FAILURE
}
