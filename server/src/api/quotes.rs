//! `GET /api/v1/quotes/{id}/lines.csv`: a quote's current version, one line per item, for the
//! customer's procurement system or a spreadsheet. Who may see the quote may download it.

use super::auth::ApiCaller;
use super::ApiError;
use crate::state::AppState;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use lightpath_app::{quotes, AppError};
use lightpath_domain::quote::format_discount;
use lightpath_domain::records::QuoteRecord;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/quotes/{id}/lines.csv", get(lines_csv))
}

/// The quote's current version as CSV, one row per item with list and net figures in dollars.
#[utoipa::path(get, path = "/api/v1/quotes/{id}/lines.csv", tag = "quotes", operation_id = "quoteLinesCsv",
    security(("token" = [])),
    params(("id" = String, Path, description = "The quote's id")),
    responses(
        (status = 200, description = "The quote's lines", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        (status = 401, description = "No API token, or one unknown, revoked or expired", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such quote, or one not sent to this organisation", body = crate::api::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token this minute", body = crate::api::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn lines_csv(
    ApiCaller { caller, .. }: ApiCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let not_found = || ApiError::NotFound(format!("There is no quote {id}."));
    let (_, record) = quotes::visible(&caller, &id).await.map_err(|error| match error {
        AppError::NotFound => not_found(),
        other => other.into(),
    })?;
    let file = format!("quote-{}-v{}.csv", record.summary.id, record.summary.version);
    Ok(crate::api::csv_attachment(&file, csv(&record)))
}

/// The CSV text: a header, then one row per item with list and net figures in dollars.
fn csv(record: &QuoteRecord) -> String {
    let mut out = String::from(
        "quote,version,item,product,option,term,discount,list_monthly,list_hourly,list_one_time,net_monthly,net_hourly,net_one_time\r\n",
    );
    let Some(current) = record.current() else { return out };
    let dollars = |money: lightpath_domain::Money| format!("{:.2}", money.cents() as f64 / 100.0);
    for item in &current.items {
        let (product, option, term) = item.spec.as_ref().map_or_else(
            || (String::new(), String::new(), String::new()),
            |spec| (spec.product.to_string(), spec.option.clone(), spec.term.label().to_owned()),
        );
        let fields = [
            record.summary.id.to_string(),
            current.version.to_string(),
            item.title.clone(),
            product,
            option,
            term,
            format_discount(current.discount_bp),
            dollars(item.list.monthly),
            dollars(item.list.hourly),
            dollars(item.list.one_time),
            dollars(item.net.monthly),
            dollars(item.net.hourly),
            dollars(item.net.one_time),
        ];
        out.push_str(&lightpath_domain::csv::row(&fields));
    }
    out
}
