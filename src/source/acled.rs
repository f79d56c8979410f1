//! ACLED's OAuth password grant (domain.md §6): a bearer token from `POST /oauth/token`, refreshed
//! a few minutes before it expires. Credentials come only from the environment variables
//! `SITREP_ACLED_USERNAME` and `SITREP_ACLED_PASSWORD`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::http::Http;
use crate::config::Secret;

/// Refresh the token this long before it expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

pub struct AcledAuth {
    token_url: String,
    username: Option<String>,
    password: Option<Secret>,
    token: Option<(Secret, DateTime<Utc>)>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default = "default_expiry")]
    expires_in: u64,
}

fn default_expiry() -> u64 {
    3600
}

impl AcledAuth {
    /// Credentials from the environment; the token endpoint on the data URL's host.
    pub fn from_env(data_url: &str) -> AcledAuth {
        let token_url = url::Url::parse(data_url)
            .ok()
            .and_then(|u| u.join("/oauth/token").ok())
            .map(|u| u.to_string())
            .unwrap_or_else(|| "https://acleddata.com/oauth/token".into());
        AcledAuth {
            token_url,
            username: std::env::var("SITREP_ACLED_USERNAME").ok(),
            password: std::env::var("SITREP_ACLED_PASSWORD").ok().map(Secret::new),
            token: None,
        }
    }

    /// A valid bearer token, fetched or refreshed as needed.
    pub async fn token(&mut self, http: &Http) -> Result<String, String> {
        let margin = chrono::Duration::from_std(REFRESH_MARGIN).unwrap_or_default();
        if let Some((t, expires)) = &self.token
            && Utc::now() + margin < *expires
        {
            return Ok(t.expose().to_string());
        }
        let (Some(user), Some(pass)) = (&self.username, &self.password) else {
            return Err(
                "ACLED needs SITREP_ACLED_USERNAME and SITREP_ACLED_PASSWORD in the environment"
                    .into(),
            );
        };
        let form = [
            ("username", user.as_str()),
            ("password", pass.expose()),
            ("grant_type", "password"),
            ("client_id", "acled"),
        ];
        let resp = http
            .client()
            .post(&self.token_url)
            .form(&form)
            .send()
            .await
            .map_err(|e| format!("{}: {}", self.token_url, e.without_url()))?;
        if !resp.status().is_success() {
            return Err(format!(
                "{}: token request refused (HTTP {})",
                self.token_url,
                resp.status().as_u16()
            ));
        }
        let body: TokenResponse = resp.json().await.map_err(|e| {
            format!(
                "{}: bad token response: {}",
                self.token_url,
                e.without_url()
            )
        })?;
        let expires = Utc::now() + chrono::Duration::seconds(body.expires_in as i64);
        let token = body.access_token.clone();
        self.token = Some((Secret::new(body.access_token), expires));
        Ok(token)
    }
}
