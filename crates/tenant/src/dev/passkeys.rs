//! `/dev/passkeys`: every user's passkeys (credential id shortened, created, last used), and
//! removing one, so that a developer can start over or see a sign-in with it fail.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use passwordless_wire::codes;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::clock::rfc3339;
use crate::error::TenantError;
use crate::identifiers::normalise_address;
use crate::passkeys::credentials;
use crate::tenant::Tenant;
use crate::users;

#[derive(Deserialize)]
pub struct PasskeysQuery {
    to: Option<String>,
}

/// `GET /dev/passkeys?to=ADDRESS`: the passkeys of the user with that email or phone number
/// (of every user without `to`), oldest first.
pub async fn list(
    State(tenant): State<Tenant>,
    Query(query): Query<PasskeysQuery>,
) -> Result<Json<Vec<Value>>, TenantError> {
    let to = query.to.as_deref().map(normalise_address);
    let listed = tenant.store().transaction(|tx| {
        let mut listed = Vec::new();
        for kept in credentials::list(tx, None)? {
            let Some(user) = users::by_id(tx, &kept.user_id)? else {
                continue;
            };
            if to.as_deref().is_some_and(|to| to != user.identifier) {
                continue;
            }
            let short: String = kept.credential_id.chars().take(10).collect();
            listed.push(json!({
                "credential_id": kept.credential_id,
                "short_id": format!("{short}…"),
                "id": kept.method_id,
                "user_id": user.sub(),
                "identifier": user.identifier,
                "created_at": rfc3339(kept.created_at),
                "last_used_at": kept.last_used_at.map(rfc3339),
            }));
        }
        Ok::<_, TenantError>(listed)
    })?;
    Ok(Json(listed))
}

/// `DELETE /dev/passkeys/{credential_id}`: forgets that passkey; 404 when there is none.
pub async fn remove(
    State(tenant): State<Tenant>,
    Path(credential_id): Path<String>,
) -> Result<Json<Value>, TenantError> {
    let removed = tenant
        .store()
        .transaction(|tx| credentials::remove(tx, &credential_id))?;
    if !removed {
        return Err(TenantError::new(
            StatusCode::NOT_FOUND,
            codes::NOT_FOUND,
            "No passkey with that credential id",
        ));
    }
    Ok(Json(json!({ "deleted": credential_id })))
}
