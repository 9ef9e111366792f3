use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_says_the_process_is_alive() {
    let app = spawn_app().await;
    let body = app.get_json("/healthz").await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_checks_the_database() {
    let app = spawn_app().await;
    let body = app.get_json("/readyz").await;
    assert_eq!(body["status"], "ready");
    let expected = if app.database.target.is_postgres() { "postgresql" } else { "sqlite" };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    let id = response.headers().get("x-request-id").expect("x-request-id header");
    assert_eq!(id.len(), 36, "a UUID: {id:?}");
}
