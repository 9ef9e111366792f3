//! Bad configuration ends the process with one clear line and exit code 1, never a panic.

use crate::helpers::test_config;
use lightpath_store::DatabaseTarget;
use server::startup::Application;
use std::process::Command;

fn run_server(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_remove("DATABASE_URL").env_remove("LIGHTPATH_ADDR").env_remove("LEPTOS_SITE_ADDR");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the server binary runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn assert_one_clear_line(stderr: &str, expected: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr: {stderr}");
    assert!(lines[0].starts_with("lightpath: "), "{stderr}");
    assert!(lines[0].contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
}

#[test]
fn an_unparsable_database_url_is_refused() {
    let (code, stderr) = run_server(&[("DATABASE_URL", "mysql://root@localhost/lp"), ("RUST_LOG", "off")]);
    assert_eq!(code, Some(1));
    assert_one_clear_line(&stderr, "DATABASE_URL");
}

#[test]
fn a_bad_listen_address_is_refused() {
    let (code, stderr) = run_server(&[("LIGHTPATH_ADDR", "localhost"), ("RUST_LOG", "off")]);
    assert_eq!(code, Some(1));
    assert_one_clear_line(&stderr, "LIGHTPATH_ADDR");
}

#[test]
fn an_unwritable_data_directory_is_refused() {
    // Root may write anywhere, so make the directory impossible: a path below a regular file.
    let file = std::env::temp_dir().join(format!("lightpath-not-a-dir-{}", uuid::Uuid::new_v4()));
    std::fs::write(&file, b"").unwrap();
    let data_dir = file.join("data");
    let (code, stderr) = run_server(&[("LIGHTPATH_DATA_DIR", data_dir.to_str().unwrap()), ("RUST_LOG", "off")]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(code, Some(1));
    assert_one_clear_line(&stderr, "cannot create the database directory");
}

#[test]
fn an_address_in_use_is_refused() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let data_dir = std::env::temp_dir().join(format!("lightpath-busy-{}", uuid::Uuid::new_v4()));
    let (code, stderr) = run_server(&[
        ("LIGHTPATH_ADDR", &addr),
        ("LIGHTPATH_DATA_DIR", data_dir.to_str().unwrap()),
        ("RUST_LOG", "off"),
    ]);
    let _ = std::fs::remove_dir_all(&data_dir);
    assert_eq!(code, Some(1));
    assert_one_clear_line(&stderr, "set LIGHTPATH_ADDR to a free address");
}

#[tokio::test]
async fn an_unreachable_database_is_reported_not_panicked() {
    // Nothing listens on port 1.
    let target = DatabaseTarget::Postgres("postgres://nobody:x@127.0.0.1:1/none".to_owned());
    let error = Application::build(test_config(target)).await.err().expect("start-up fails").to_string();
    assert!(error.contains("cannot open the database") && !error.contains(":x@"), "{error}");
}
