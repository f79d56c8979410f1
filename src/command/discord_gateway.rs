//! Discord's gateway way in (`mode = "gateway"`, the default): serenity's client receives
//! interactions over the websocket and hands each one, as the JSON Discord sends over HTTP, to the
//! same [`super::discord::answer`] the interactions endpoint uses; the answer goes back with
//! `create_interaction_response`.

use serenity::all::{Context as SerenityContext, EventHandler, GatewayIntents, Interaction};
use tokio::sync::watch;

use crate::config::{OperatorSubscriptions, Secret};
use crate::extract::Gazetteer;
use crate::store::Store;

struct Handler {
    store: Store,
    operator: OperatorSubscriptions,
    gazetteer: &'static Gazetteer,
}

/// The interaction as Discord's JSON, for the shared handler.
pub fn to_json(interaction: &Interaction) -> Option<serde_json::Value> {
    // The interaction type, stated here rather than trusted to serenity's serialisation.
    let (kind, mut json) = match interaction {
        Interaction::Command(c) => (2, serde_json::to_value(c).ok()?),
        Interaction::Autocomplete(a) => (4, serde_json::to_value(a).ok()?),
        _ => return None,
    };
    json["type"] = kind.into();
    Some(json)
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn interaction_create(&self, ctx: SerenityContext, interaction: Interaction) {
        let (id, token) = match &interaction {
            Interaction::Command(c) => (c.id, c.token.clone()),
            Interaction::Autocomplete(a) => (a.id, a.token.clone()),
            _ => return,
        };
        let Some(json) = to_json(&interaction) else {
            return;
        };
        let operator = self.operator.borrow().clone();
        let follow_up = super::discord::FollowUp::from_http(ctx.http.clone());
        let answer = super::discord::respond(
            json,
            self.store.clone(),
            operator,
            self.gazetteer,
            follow_up,
        )
        .await;
        if ctx
            .http
            .create_interaction_response(id, &token, &answer, Vec::new())
            .await
            .is_err()
        {
            tracing::warn!("discord: interaction response failed");
        }
    }
}

/// Connects to the gateway and answers interactions until shutdown.
/// `api_url` as in [`crate::sink::discord::serenity_http`]: the gateway address is asked of it.
pub async fn run(
    token: Secret,
    api_url: String,
    store: Store,
    operator: OperatorSubscriptions,
    gazetteer: &'static Gazetteer,
    mut shutdown: watch::Receiver<bool>,
) {
    let handler = Handler {
        store,
        operator,
        gazetteer,
    };
    let http = crate::sink::discord::serenity_http(&token, &api_url, 0);
    let mut client =
        match serenity::all::ClientBuilder::new_with_http(http, GatewayIntents::empty())
            .event_handler(handler)
            .await
        {
            Ok(c) => c,
            Err(_) => {
                tracing::error!("discord: the gateway client could not be built");
                return;
            }
        };
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = shutdown.changed().await;
        shards.shutdown_all().await;
    });
    match client.start().await {
        Ok(()) => {}
        // Close code 4004, or a 401 on the gateway address: the token was revoked or is wrong.
        Err(serenity::Error::Gateway(serenity::all::GatewayError::InvalidAuthentication)) => {
            token_refused("gateway close 4004")
        }
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)))
            if r.status_code.as_u16() == 401 =>
        {
            token_refused("HTTP 401")
        }
        Err(_) => tracing::error!("discord: the gateway connection failed"),
    }
}

/// One ERROR and the platform's health: the gateway is not tried again until a restart.
fn token_refused(how: &str) {
    let reason = format!("the bot token was refused ({how}): revoked or wrong");
    if crate::metrics::metrics().platform_stopped("discord", &reason) {
        tracing::error!(
            platform = "discord",
            reason,
            "platform refused the bot token: sends to it stop until sitrep restarts with a good token; its alerts stay in the outbox"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_interactions_reach_the_shared_handler_as_discord_json() {
        // Discord's documented slash-command interaction, as the gateway delivers it.
        let mut raw: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/discord/interaction.json"
        ))
        .unwrap();
        // Fields the gateway sends today that the older documentation example lacks.
        raw["member"]["flags"] = 0.into();
        raw["application_id"] = "1".into();
        raw["version"] = 1.into();
        raw["entitlements"] = serde_json::json!([]);
        raw["authorizing_integration_owners"] = serde_json::json!({});
        raw["attachment_size_limit"] = 10_485_760.into();
        raw["data"]["name"] = "recent".into();
        raw["data"]["options"] =
            serde_json::json!([{"type": 3, "name": "region", "value": "Tilaberi"}]);
        let interaction: Interaction = serde_json::from_value(raw).unwrap();
        let json = to_json(&interaction).unwrap();
        assert_eq!(
            super::super::discord::command_line(&json["data"]),
            "/recent Tilaberi"
        );
        let store = Store::temporary().unwrap();
        let answer = super::super::discord::answer(&json, &store, &[], Gazetteer::bundled());
        assert_eq!(answer["type"], 4);
        assert!(
            answer["data"]["content"]
                .as_str()
                .unwrap()
                .contains("did you mean Tillabéri?"),
            "{answer}"
        );
    }
}
