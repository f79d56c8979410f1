//! Discord's HTTP interactions endpoint on the real binary: signed requests (Ed25519) get answers,
//! unsigned or forged ones 401; PING, /recent, /subscribe with and without Manage Channels, and
//! place autocomplete. Also GET /healthz, and a deferred answer replacing the original response.

mod support;

use ed25519_dalek::{Signer, SigningKey};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Client {
    http: reqwest::Client,
    url: String,
    key: SigningKey,
}

impl Client {
    async fn post(
        &self,
        body: &serde_json::Value,
        sign: Option<&SigningKey>,
    ) -> (u16, serde_json::Value) {
        let body = body.to_string();
        let ts = "1750000000";
        let mut req = self
            .http
            .post(format!("{}/discord/interactions", self.url))
            .body(body.clone());
        if let Some(k) = sign {
            let sig = k.sign(format!("{ts}{body}").as_bytes());
            req = req
                .header("X-Signature-Ed25519", hex::encode(sig.to_bytes()))
                .header("X-Signature-Timestamp", ts);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let json = resp.json().await.unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    async fn command(
        &self,
        name: &str,
        options: serde_json::Value,
        permissions: &str,
    ) -> serde_json::Value {
        let body = serde_json::json!({
            "type": 2, "id": "1", "token": "t", "channel_id": "4242",
            "member": {"permissions": permissions, "user": {"id": "9", "username": "aminata"}},
            "data": {"name": name, "options": options},
        });
        let (status, json) = self.post(&body, Some(&self.key)).await;
        assert_eq!(status, 200);
        json
    }
}

#[tokio::test]
async fn signed_interactions_are_answered_and_forged_ones_refused() {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let public = hex::encode(key.verifying_key().to_bytes());
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sitrep.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\npath = \"{}\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\ntoken_env = \"SITREP_TEST_DISCORD_TOKEN\"\nmode = \"http\"\npublic_key = \"{public}\"\napi_url = \"http://127.0.0.1:9\"\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = support::daemon::start(
        &config,
        &[("SITREP_TEST_DISCORD_TOKEN", "discord-test-token")],
    );
    let c = Client {
        http: reqwest::Client::new(),
        url: format!("http://127.0.0.1:{port}"),
        key,
    };
    let (_, health) = support::daemon::wait_started(port).await;
    assert_eq!(health["status"], "ok");

    let ping = serde_json::json!({"type": 1, "id": "1", "token": "t"});
    assert_eq!(
        c.post(&ping, Some(&c.key)).await,
        (200, serde_json::json!({"type": 1}))
    );
    assert_eq!(c.post(&ping, None).await.0, 401, "no signature");
    let forger = SigningKey::from_bytes(&[8u8; 32]);
    assert_eq!(
        c.post(&ping, Some(&forger)).await.0,
        401,
        "a signature by another key"
    );

    let recent = c
        .command(
            "recent",
            serde_json::json!([{"name": "country", "value": "ML"}]),
            "0",
        )
        .await;
    assert_eq!(recent["type"], 4);
    assert_eq!(recent["data"]["content"], "No incident in the last 7 days.");
    assert_eq!(
        recent["data"]["allowed_mentions"]["parse"],
        serde_json::json!([])
    );

    let sub = serde_json::json!([{"name": "country", "value": "ML"}, {"name": "min_severity", "value": "high"}]);
    let refused = c.command("subscribe", sub.clone(), "0").await;
    assert_eq!(
        refused["data"]["flags"], 64,
        "errors and refusals are ephemeral"
    );
    assert!(
        refused["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only an administrator")
    );
    let ok = c.command("subscribe", sub, "16").await;
    assert!(
        ok["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with("Subscribed (s"),
        "{ok}"
    );
    let listed = c.command("subscriptions", serde_json::json!([]), "0").await;
    assert!(
        listed["data"]["content"]
            .as_str()
            .unwrap()
            .contains("ML, severity ≥ high")
    );

    let bad = c
        .command(
            "recent",
            serde_json::json!([{"name": "region", "value": "Tilaberi"}]),
            "0",
        )
        .await;
    assert!(
        bad["data"]["content"]
            .as_str()
            .unwrap()
            .contains("did you mean Tillabéri?")
    );
    assert_eq!(bad["data"]["flags"], 64);

    let auto = serde_json::json!({
        "type": 4, "id": "1", "token": "t", "channel_id": "4242",
        "data": {"name": "recent", "options": [{"name": "region", "value": "Tilla", "focused": true}]},
    });
    let (status, choices) = c.post(&auto, Some(&c.key)).await;
    assert_eq!(status, 200);
    assert_eq!(choices["type"], 8);
    assert_eq!(choices["data"]["choices"][0]["value"], "Tillabéri");

    support::daemon::stop(child).await;
}

#[tokio::test]
async fn a_deferred_answer_replaces_the_original_response() {
    let (api, log) =
        support::server::start(std::sync::Arc::new(|_req: &support::server::Request| {
            support::server::Reply::ok(
                "application/json",
                std::fs::read_to_string("tests/fixtures/discord/message.json").unwrap(),
            )
        }))
        .await;
    let follow_up = sitrep::command::discord::FollowUp::new(
        &sitrep::config::Secret::new("discord-test-token".into()),
        &api,
        4242,
    );
    let answer = serde_json::json!({"type": 4, "data": {
        "content": "🔴 1 Jun · Base overrun · Boulkessi, Mopti, Mali",
        "allowed_mentions": {"parse": []},
    }});
    follow_up.edit_original("interaction-token", &answer).await;
    let reqs = log.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    assert_eq!(reqs[0].method, "PATCH");
    assert_eq!(
        reqs[0].path,
        "/api/v10/webhooks/4242/interaction-token/messages/@original"
    );
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert_eq!(body, answer["data"]);
}
