//! `/dev/*`: what only a local tenant has. Never part of a production relay.

use axum::extract::{Query, State};
use axum::Json;
use passwordless_wire::InboxMessage;
use serde::Deserialize;

use crate::error::TenantError;
use crate::identifiers::normalise_email;
use crate::Tenant;

#[derive(Deserialize)]
pub struct InboxQuery {
    to: Option<String>,
}

/// `GET /dev/inbox?to=ADDRESS`: the messages to that address (all without `to`), newest first.
pub async fn inbox(
    State(tenant): State<Tenant>,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Vec<InboxMessage>>, TenantError> {
    let to = query
        .to
        .map(|to| normalise_email(&to).unwrap_or_else(|| to.trim().to_owned()));
    Ok(Json(tenant.inbox()?.list(to.as_deref())))
}
