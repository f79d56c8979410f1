//! Commands on Discord: the application commands registered at start (typed options, choices for
//! country, severity and verification, autocomplete for places; Manage Channels required by
//! default for the commands that change a channel's alerts), and interactions turned into the one
//! [`Command`] by writing their options as the command line the parser reads. Errors are
//! ephemeral; no answer can mention anyone. Discord allows three seconds for the first response:
//! an answer not ready in time is deferred and sent later as an edit of that response. Commands,
//! options and choices carry French localisations; answers follow the channel's language, else
//! the server's (`guild_locale`) or the asker's (`locale`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Context, Reply, execute, parse, reply_lang};
use crate::extract::Gazetteer;
use crate::extract::gazetteer::PlaceKind;
use crate::i18n::Lang;
use crate::model::{Kind, Subscription, Target};
use crate::store::Store;
use crate::text::key;

/// Discord's Manage Channels permission bit.
const MANAGE_CHANNELS: u64 = 1 << 4;
/// Discord's Administrator permission bit.
const ADMINISTRATOR: u64 = 1 << 3;

/// A text of the catalogues in English with its French localisation, as Discord takes them
/// (`description` + `description_localizations`).
fn localized(field: &str, id: &str) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert(field.into(), Lang::En.text(id).into());
    m.insert(
        format!("{field}_localizations"),
        json!({"fr": Lang::Fr.text(id)}),
    );
    m
}

/// Choices with fixed names (country names, language names).
fn choices(values: &[(&str, &str)]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect(),
    )
}

/// Choices named by the catalogues: `prefix-value` in English, with the French name.
fn localized_choices(prefix: &str, values: &[&str]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|v| {
                let mut c = localized("name", &format!("{prefix}-{v}"));
                c.insert("value".into(), (*v).into());
                Value::Object(c)
            })
            .collect(),
    )
}

/// An option: Discord type, name, catalogue id of its description, and other fields.
fn opt(kind: u8, name: &str, description: &str, extra: Value) -> Value {
    let mut o = localized("description", description);
    o.insert("type".into(), kind.into());
    o.insert("name".into(), name.into());
    if let Value::Object(e) = extra {
        o.extend(e);
    }
    Value::Object(o)
}

/// A command: name, catalogue id of its description, whether it needs Manage Channels, options.
fn cmd(name: &str, admin: bool, options: Vec<Value>) -> Value {
    let mut c = serde_json::Map::new();
    c.insert("name".into(), name.into());
    c.extend(localized("description", &format!("discord-{name}")));
    if admin {
        c.insert(
            "default_member_permissions".into(),
            MANAGE_CHANNELS.to_string().into(),
        );
    }
    if !options.is_empty() {
        c.insert("options".into(), options.into());
    }
    Value::Object(c)
}

/// The countries offered as choices, with their French names.
fn country_choices() -> Value {
    let list = [
        ("Mali", "ML"),
        ("Burkina Faso", "BF"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Chad", "TD"),
        ("Benin", "BJ"),
        ("Togo", "TG"),
        ("Côte d'Ivoire", "CI"),
        ("Ghana", "GH"),
        ("Mauritania", "MR"),
    ];
    let mut choices = choices(&list);
    for (c, (en, code)) in choices.as_array_mut().into_iter().flatten().zip(list) {
        c["name_localizations"] = json!({"fr": Lang::Fr.country(code, en)});
    }
    choices
}

/// A string option (Discord type 3).
fn text_opt(name: &str, description: &str, extra: Value) -> Value {
    opt(3, name, description, extra)
}

/// The options of `/subscribe`.
fn subscribe_options(countries: &Value, severities: &Value) -> Vec<Value> {
    let verifications = localized_choices(
        "verification",
        &["rumour", "claimed", "reported", "corroborated", "confirmed"],
    );
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    vec![
        text_opt("country", "option-country", json!({"choices": countries})),
        text_opt("region", "option-region", json!({"autocomplete": true})),
        text_opt("near", "option-near", json!({"autocomplete": true})),
        opt(
            4,
            "radius_km",
            "option-radius",
            json!({"min_value": 1, "max_value": 1000}),
        ),
        text_opt(
            "min_severity",
            "option-min-severity",
            json!({"choices": severities}),
        ),
        text_opt(
            "min_verification",
            "option-min-verification",
            json!({"choices": verifications}),
        ),
        text_opt(
            "kind",
            "option-kind",
            json!({"choices": localized_choices("kind", &kinds)}),
        ),
        text_opt("keyword", "option-keyword", json!({})),
    ]
}

/// The options of `/map`.
fn map_options(countries: &Value) -> Vec<Value> {
    vec![
        text_opt(
            "country",
            "option-map-country",
            json!({"choices": countries}),
        ),
        text_opt("region", "option-region", json!({"autocomplete": true})),
        opt(
            4,
            "days",
            "option-map-days",
            json!({"min_value": 1, "max_value": 90}),
        ),
    ]
}

/// The options of `/digest`.
fn digest_options() -> Vec<Value> {
    vec![
        text_opt("time", "option-digest-time", json!({"required": true})),
        text_opt("zone", "option-digest-zone", json!({})),
    ]
}

/// The application commands, as sent to `PUT /applications/{id}/commands`: descriptions and
/// choice names in English, with French localisations (`fr`).
pub fn registration() -> Value {
    let countries = country_choices();
    let severities = localized_choices("severity", &["low", "medium", "high", "critical"]);
    let languages = localized_choices("lang", &["en", "fr"]);
    let required = json!({"required": true});
    let autocomplete = json!({"autocomplete": true});
    let recent = vec![
        text_opt("country", "option-country", json!({"choices": countries})),
        text_opt("region", "option-region", autocomplete.clone()),
        opt(
            4,
            "days",
            "option-days",
            json!({"min_value": 1, "max_value": 90}),
        ),
        text_opt(
            "min_severity",
            "option-min-severity",
            json!({"choices": severities}),
        ),
    ];
    let mute = vec![
        text_opt("duration", "option-duration", required.clone()),
        text_opt("region", "option-mute-region", autocomplete),
    ];
    json!([
        cmd("recent", false, recent),
        cmd(
            "incident",
            false,
            vec![text_opt("id", "option-incident-id", required.clone())]
        ),
        cmd(
            "subscribe",
            true,
            subscribe_options(&countries, &severities)
        ),
        cmd(
            "unsubscribe",
            true,
            vec![text_opt("id", "option-subscription-id", required)]
        ),
        cmd("subscriptions", false, vec![]),
        cmd("mute", true, mute),
        cmd("unmute", true, vec![]),
        cmd(
            "lang",
            false,
            vec![text_opt(
                "language",
                "option-language",
                json!({"choices": languages})
            )]
        ),
        cmd("map", false, map_options(&countries)),
        cmd("digest", true, digest_options()),
        cmd("sources", false, vec![]),
        cmd("help", false, vec![]),
        cmd("about", false, vec![]),
    ])
}

fn option<'a>(data: &'a Value, name: &str) -> Option<&'a Value> {
    data["options"]
        .as_array()?
        .iter()
        .find(|o| o["name"] == name)
        .map(|o| &o["value"])
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.replace(' ', "_"),
        other => other.to_string(),
    }
}

/// The command line an interaction's options stand for.
pub fn command_line(data: &Value) -> String {
    let name = data["name"].as_str().unwrap_or("");
    let get = |n: &str| option(data, n).map(text);
    let mut line = format!("/{name}");
    let mut push = |s: String| {
        line.push(' ');
        line.push_str(&s);
    };
    match name {
        "recent" => {
            for n in ["country", "region", "days", "min_severity"] {
                if let Some(v) = get(n) {
                    push(v.replace('_', " "));
                }
            }
        }
        "subscribe" => {
            if let Some(c) = get("country") {
                push(c);
            }
            if let Some(r) = get("region") {
                push(format!("region={r}"));
            }
            if let Some(p) = get("near") {
                push(format!(
                    "near={p}:{}",
                    get("radius_km").unwrap_or_else(|| "100".into())
                ));
            }
            if let Some(s) = get("min_severity") {
                push(format!("min={s}"));
            }
            if let Some(v) = get("min_verification") {
                push(format!("verified={v}"));
            }
            if let Some(k) = get("kind") {
                push(format!("kind={k}"));
            }
            if let Some(k) = get("keyword") {
                push(format!("keyword={k}"));
            }
        }
        "map" => {
            for n in ["country", "region", "days"] {
                if let Some(v) = get(n) {
                    push(v.replace('_', " "));
                }
            }
        }
        "digest" => {
            for n in ["time", "zone"] {
                if let Some(v) = get(n) {
                    push(v);
                }
            }
        }
        "mute" => {
            for n in ["duration", "region"] {
                if let Some(v) = get(n) {
                    push(v.replace('_', " "));
                }
            }
        }
        "lang" => {
            if let Some(v) = get("language") {
                push(v);
            }
        }
        _ => {
            if let Some(v) = get("id") {
                push(v);
            }
        }
    }
    line
}

/// Place names starting with what was typed, for autocomplete: regions first, then towns.
pub fn autocomplete(typed: &str, regions_only: bool, gaz: &Gazetteer) -> Value {
    let k = key(typed);
    let mut found: Vec<(u8, u32, String)> = Vec::new();
    for id in 0..gaz.len() as u32 {
        let p = gaz.place(crate::extract::gazetteer::PlaceId(id));
        let rank = match p.kind {
            PlaceKind::Admin1 => 0,
            PlaceKind::Town if !regions_only && p.population >= 5_000 => 1,
            _ => continue,
        };
        if key(&p.name).starts_with(&k) && !found.iter().any(|f| f.2 == p.name) {
            found.push((rank, u32::MAX - p.population, p.name.clone()));
        }
    }
    found.sort();
    let list: Vec<Value> = found
        .into_iter()
        .take(25)
        .map(|(_, _, n)| json!({"name": n, "value": n}))
        .collect();
    json!({"type": 8, "data": {"choices": list}})
}

fn message(reply: &Reply) -> Value {
    let mut data = json!({
        "content": crate::deliver::format::truncate(&reply.text, 2000),
        "allowed_mentions": {"parse": []},
    });
    if reply.private {
        data["flags"] = json!(64);
    }
    if reply.photo.is_some() {
        data["attachments"] = json!([{"id": 0, "filename": crate::sink::discord::MAP_FILE}]);
    }
    json!({"type": 4, "data": data})
}

/// Whether an interaction is a `/map` command, whose picture goes out as a follow-up upload.
fn is_map(interaction: &Value) -> bool {
    interaction["type"] == 2 && interaction["data"]["name"] == "map"
}

/// The language Discord says the asker's server (`guild_locale`), else the asker, uses.
pub fn hint(interaction: &Value) -> Option<Lang> {
    interaction["guild_locale"]
        .as_str()
        .and_then(Lang::parse)
        .or_else(|| interaction["locale"].as_str().and_then(Lang::parse))
}

/// Answers one interaction (already authenticated): PING, an application command, or
/// autocomplete. A picture that goes with the answer is dropped: see [`answer_with_picture`].
pub fn answer(
    interaction: &Value,
    store: &Store,
    operator: &[Subscription],
    gaz: &Gazetteer,
) -> Value {
    answer_with_picture(interaction, store, operator, gaz).0
}

/// [`answer`], with the picture (PNG) the answer carries as an attachment, if any.
pub fn answer_with_picture(
    interaction: &Value,
    store: &Store,
    operator: &[Subscription],
    gaz: &Gazetteer,
) -> (Value, Option<Vec<u8>>) {
    let reply = match interaction["type"].as_u64() {
        Some(1) => return (json!({"type": 1}), None),
        Some(4) => return (autocomplete_answer(interaction, gaz), None),
        Some(2) => command_reply(interaction, store, operator, gaz),
        _ => Reply::private(
            hint(interaction)
                .unwrap_or_default()
                .text("error-unsupported")
                .into(),
        ),
    };
    (message(&reply), reply.photo)
}

fn autocomplete_answer(interaction: &Value, gaz: &Gazetteer) -> Value {
    let data = &interaction["data"];
    let focused = data["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["focused"] == true))
        .cloned()
        .unwrap_or_default();
    let regions_only = focused["name"] == "region";
    autocomplete(focused["value"].as_str().unwrap_or(""), regions_only, gaz)
}

/// An application command's answer, in the channel's language.
fn command_reply(
    interaction: &Value,
    store: &Store,
    operator: &[Subscription],
    gaz: &Gazetteer,
) -> Reply {
    let channel = interaction["channel_id"]
        .as_str()
        .and_then(|c| c.parse::<u64>().ok())
        .unwrap_or(0);
    let permissions = interaction["member"]["permissions"]
        .as_str()
        .and_then(|p| p.parse::<u64>().ok());
    // In a direct message there is no member: the user administers that conversation.
    let is_admin = permissions.is_none_or(|p| p & (MANAGE_CHANNELS | ADMINISTRATOR) != 0);
    let line = command_line(&interaction["data"]);
    let target = Target::Discord { channel };
    let hint = hint(interaction);
    let lang = reply_lang(store, operator, &target, hint).unwrap_or_default();
    match parse(&line, gaz) {
        Err(usage) => Reply::private(usage.render(lang)),
        Ok(cmd) => {
            let ctx = Context {
                target,
                is_admin,
                now: chrono::Utc::now(),
                hint,
            };
            execute(&cmd, &ctx, store, operator, gaz).unwrap_or_else(|e| {
                tracing::error!(error = %e, "command failed");
                Reply::private(lang.text("error-failed").into())
            })
        }
    }
}

/// How long an answer may take before Discord is told to wait for it (Discord allows 3 s).
pub const DEFER_AFTER: Duration = Duration::from_millis(1500);

/// Discord's "thinking…" response: the answer follows as an edit of the original response.
const DEFERRED: u64 = 5;

/// Answers an application command in time: `work` runs off the async runtime; when its answer is
/// not ready within `defer_after`, Discord gets the deferred response at once and `follow_up`
/// gets the answer when it is ready. PINGs and autocomplete are answered directly by [`answer`].
pub async fn answer_in_time<W, F, Fut>(work: W, defer_after: Duration, follow_up: F) -> Value
where
    W: FnOnce() -> Value + Send + 'static,
    F: FnOnce(Value) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let mut task = tokio::task::spawn_blocking(work);
    match tokio::time::timeout(defer_after, &mut task).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "discord: command handler failed");
            message(&Reply::private(Lang::En.text("error-failed").into()))
        }
        Err(_) => {
            tokio::spawn(async move {
                if let Ok(answer) = task.await {
                    follow_up(answer).await;
                }
            });
            json!({"type": DEFERRED})
        }
    }
}

/// The first response to an authenticated interaction, for both ways in: PINGs and autocomplete
/// directly, application commands through [`answer_in_time`], a late answer replacing the
/// deferred response through `follow_up`.
pub async fn respond(
    interaction: Value,
    store: Store,
    operator: Vec<Subscription>,
    gaz: &'static Gazetteer,
    follow_up: FollowUp,
) -> Value {
    let token = interaction["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if follow_up.http.application_id().is_none()
        && let Some(id) = interaction["application_id"]
            .as_str()
            .and_then(|a| a.parse::<u64>().ok())
            .filter(|id| *id != 0)
    {
        follow_up
            .http
            .set_application_id(serenity::all::ApplicationId::new(id));
    }
    if is_map(&interaction) {
        // The picture is uploaded with the answer, which only an edit of the original response
        // can carry: Discord is told to wait at once.
        tokio::spawn(async move {
            let work = tokio::task::spawn_blocking(move || {
                answer_with_picture(&interaction, &store, &operator, gaz)
            });
            match work.await {
                Ok((answer, png)) => follow_up.edit_original_with(&token, &answer, png).await,
                Err(e) => tracing::error!(error = %e, "discord: /map failed"),
            }
        });
        return json!({"type": DEFERRED});
    }
    let defer_after = if interaction["type"] == 2 {
        DEFER_AFTER
    } else {
        // PINGs and autocomplete cannot be deferred; neither touches the store.
        Duration::MAX
    };
    answer_in_time(
        move || answer(&interaction, &store, &operator, gaz),
        defer_after,
        move |late| async move { follow_up.edit_original(&token, &late).await },
    )
    .await
}

/// Sends deferred answers: edits the original interaction response through Discord's API.
#[derive(Clone)]
pub struct FollowUp {
    http: Arc<serenity::http::Http>,
}

impl FollowUp {
    /// `application_id` may be 0 when the gateway sets it (READY); the HTTP mode needs it.
    pub fn new(token: &crate::config::Secret, api_url: &str, application_id: u64) -> FollowUp {
        FollowUp {
            http: Arc::new(crate::sink::discord::serenity_http(
                token,
                api_url,
                application_id,
            )),
        }
    }

    /// The gateway client's own HTTP client.
    pub fn from_http(http: Arc<serenity::http::Http>) -> FollowUp {
        FollowUp { http }
    }

    /// Replaces the deferred response with `answer`'s message. Discord may not have processed
    /// the deferred response yet when a slow answer finishes just after it: a few tries.
    pub async fn edit_original(&self, interaction_token: &str, answer: &Value) {
        self.edit_original_with(interaction_token, answer, None)
            .await
    }

    /// [`FollowUp::edit_original`] with a picture uploaded as the message's attachment.
    pub async fn edit_original_with(
        &self,
        interaction_token: &str,
        answer: &Value,
        png: Option<Vec<u8>>,
    ) {
        for attempt in 1..=3 {
            let files = png
                .iter()
                .map(|p| {
                    serenity::all::CreateAttachment::bytes(
                        p.clone(),
                        crate::sink::discord::MAP_FILE,
                    )
                })
                .collect();
            match self
                .http
                .edit_original_interaction_response(interaction_token, &answer["data"], files)
                .await
            {
                Ok(_) => return,
                Err(e) if attempt == 3 => {
                    tracing::warn!(error = %e, "discord: deferred answer not delivered");
                }
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    }
}

/// Checks Discord's Ed25519 signature over timestamp + body.
pub fn verify(
    public_key: &ed25519_dalek::VerifyingKey,
    signature_hex: &str,
    timestamp: &str,
    body: &[u8],
) -> bool {
    let Ok(sig) = hex::decode(signature_hex) else {
        return false;
    };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(&sig) else {
        return false;
    };
    let mut msg = timestamp.as_bytes().to_vec();
    msg.extend_from_slice(body);
    public_key.verify_strict(&msg, &sig).is_ok()
}

/// Registers the commands, for one guild (development) or globally.
pub async fn register(http: &serenity::http::Http, guild_id: u64) -> Result<(), String> {
    let payload = registration();
    let result = if guild_id == 0 {
        http.create_global_commands(&payload).await.map(|_| ())
    } else {
        http.create_guild_commands(serenity::all::GuildId::new(guild_id), &payload)
            .await
            .map(|_| ())
    };
    result.map_err(|e| match e {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) => {
            format!("HTTP {}: {}", r.status_code, r.error.message)
        }
        _ => "request failed".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_quick_answer_goes_out_directly() {
        let answer = answer_in_time(
            || json!({"type": 4, "data": {"content": "quick"}}),
            Duration::from_secs(5),
            |_| async { panic!("nothing to follow up") },
        )
        .await;
        assert_eq!(answer["data"]["content"], "quick");
    }

    #[tokio::test]
    async fn a_slow_answer_is_deferred_and_follows_up() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let first = answer_in_time(
            || {
                std::thread::sleep(Duration::from_millis(300));
                json!({"type": 4, "data": {"content": "slow"}})
            },
            Duration::from_millis(20),
            move |late| async move {
                let _ = tx.send(late);
            },
        )
        .await;
        assert_eq!(first, json!({"type": 5}), "Discord is told to wait");
        let late = tokio::time::timeout(Duration::from_secs(5), rx)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(late["data"]["content"], "slow");
    }

    #[test]
    fn options_become_the_command_line() {
        let data = json!({"name": "subscribe", "options": [
            {"name": "country", "value": "ML"},
            {"name": "near", "value": "Fada N'Gourma"},
            {"name": "radius_km", "value": 150},
            {"name": "min_severity", "value": "high"},
        ]});
        assert_eq!(
            command_line(&data),
            "/subscribe ML near=Fada_N'Gourma:150 min=high"
        );
        let data = json!({"name": "recent", "options": [{"name": "region", "value": "Tillabéri"}, {"name": "days", "value": 3}]});
        assert_eq!(command_line(&data), "/recent Tillabéri 3");
        assert!(matches!(
            parse(&command_line(&data), Gazetteer::bundled()),
            Ok(super::super::Command::Recent { days: 3, .. })
        ));
    }

    #[test]
    fn registration_payload_snapshot() {
        let payload = serde_json::to_string_pretty(&registration()).unwrap();
        let path = "tests/fixtures/snapshots/discord_commands.json";
        if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
            std::fs::write(path, &payload).unwrap();
        }
        assert_eq!(payload, std::fs::read_to_string(path).unwrap_or_default());
        let cmds = registration();
        for name in ["subscribe", "unsubscribe", "mute", "unmute"] {
            let c = cmds
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap();
            assert!(
                c["description_localizations"]["fr"].is_string(),
                "{name} has a French description"
            );
            let c = cmds
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap();
            assert_eq!(
                c["default_member_permissions"], "16",
                "{name} needs Manage Channels"
            );
        }
    }

    #[test]
    fn a_french_server_reads_french_and_setting_lang_needs_manage_channels() {
        let store = Store::temporary().unwrap();
        let g = Gazetteer::bundled();
        let interaction = |name: &str, options: Value, permissions: &str| {
            json!({"type": 2, "channel_id": "5", "guild_locale": "fr", "locale": "en-US",
                   "member": {"permissions": permissions}, "data": {"name": name, "options": options}})
        };
        let typo = interaction(
            "recent",
            json!([{"name": "region", "value": "Tilaberi"}]),
            "0",
        );
        let a = answer(&typo, &store, &[], g);
        assert!(
            a["data"]["content"]
                .as_str()
                .unwrap()
                .contains("Vouliez-vous dire Tillabéri ?"),
            "the server's locale: {a}"
        );
        let to_en = |permissions: &str| {
            interaction(
                "lang",
                json!([{"name": "language", "value": "en"}]),
                permissions,
            )
        };
        let refused = answer(&to_en("0"), &store, &[], g);
        assert_eq!(refused["data"]["flags"], 64);
        assert!(
            refused["data"]["content"]
                .as_str()
                .unwrap()
                .contains("Seul un administrateur")
        );
        let set = answer(&to_en("16"), &store, &[], g);
        assert!(
            set["data"]["content"]
                .as_str()
                .unwrap()
                .contains("now reads sitrep in English"),
            "{set}"
        );
        let a = answer(&typo, &store, &[], g);
        assert!(
            a["data"]["content"]
                .as_str()
                .unwrap()
                .contains("did you mean Tillabéri?"),
            "the channel's choice beats the server's locale: {a}"
        );
        assert_eq!(
            command_line(
                &json!({"name": "lang", "options": [{"name": "language", "value": "fr"}]})
            ),
            "/lang fr"
        );
    }

    #[test]
    fn autocomplete_suggests_places() {
        let a = autocomplete("Tilla", true, Gazetteer::bundled());
        assert_eq!(a["type"], 8);
        assert_eq!(a["data"]["choices"][0]["name"], "Tillabéri");
    }
}
