//! What a failed send means, decided in one place for both platforms (DESIGN §5): wait and retry,
//! back off, disable the target, move it to a migrated chat, shorten the text, or send a new
//! message because the one to edit is gone.

use std::time::Duration;

/// A platform's refusal, in the terms both platforms share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Failure {
    /// HTTP status, or the Bot API's `error_code`.
    pub status: Option<u16>,
    /// Discord's JSON error code.
    pub code: Option<u64>,
    /// The platform's description ("Forbidden: bot was blocked by the user").
    pub description: String,
    /// `retry_after` / `Retry-After`.
    pub retry_after: Option<Duration>,
    /// Telegram's `migrate_to_chat_id`.
    pub migrate_to: Option<i64>,
    /// No answer in time, or the connection failed.
    pub network: bool,
}

/// What to do about a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Rate limited: try again after this long.
    RetryAfter(Duration),
    /// A passing fault (5xx, timeout, network): try again with backoff.
    Backoff,
    /// The bot cannot post there any more (blocked, kicked, chat gone): stop sending to it.
    Disable(String),
    /// The group became a supergroup with this id: move the subscription.
    Migrate(i64),
    /// The message is too long for the platform: shorten and send again.
    TooLong,
    /// The message to edit was deleted: send a new one.
    MessageGone,
    /// The edit changed nothing: done.
    Unchanged,
    /// The platform refused the bot's token (revoked or wrong): stop sending to that platform
    /// until a restart with a good token; keep its outbox.
    Unauthorized(String),
    /// Any other refusal: the request itself is wrong; drop it and log it.
    Drop(String),
}

/// Classifies a failed send or edit.
pub fn classify(f: &Failure) -> Outcome {
    let d = f.description.to_ascii_lowercase();
    if let Some(to) = f.migrate_to {
        return Outcome::Migrate(to);
    }
    if f.status == Some(429) || f.retry_after.is_some() {
        return Outcome::RetryAfter(f.retry_after.unwrap_or(Duration::from_secs(5)));
    }
    if f.network || f.status.is_some_and(|s| s >= 500) {
        return Outcome::Backoff;
    }
    if f.status == Some(401) {
        return Outcome::Unauthorized(format!(
            "the bot token was refused ({}): revoked or wrong",
            if f.description.is_empty() {
                "HTTP 401"
            } else {
                &f.description
            }
        ));
    }
    if d.contains("message is not modified") {
        return Outcome::Unchanged;
    }
    if d.contains("message to edit not found")
        || d.contains("message can't be edited")
        || f.code == Some(10008)
    {
        return Outcome::MessageGone;
    }
    if d.contains("too long")
        || d.contains("message_too_long")
        || (f.code == Some(50035) && d.contains("length"))
    {
        return Outcome::TooLong;
    }
    let gone = d.contains("bot was blocked")
        || d.contains("bot was kicked")
        || d.contains("chat not found")
        || d.contains("user is deactivated")
        || d.contains("have no rights to send")
        || d.contains("not enough rights")
        || d.contains("need administrator rights")
        || matches!(f.code, Some(10003) | Some(50001) | Some(50013));
    if gone {
        return Outcome::Disable(f.description.clone());
    }
    Outcome::Drop(f.description.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(status: u16, description: &str) -> Failure {
        Failure {
            status: Some(status),
            description: description.into(),
            ..Default::default()
        }
    }

    /// Every platform answer sitrep knows and the outcome it gets, in one table (long on
    /// purpose: it reads as the table of DESIGN §5, one row a line).
    #[test]
    fn failures_table() {
        let cases: Vec<(Failure, Outcome)> = vec![
            (
                Failure {
                    status: Some(429),
                    retry_after: Some(Duration::from_secs(7)),
                    description: "Too Many Requests: retry after 7".into(),
                    ..Default::default()
                },
                Outcome::RetryAfter(Duration::from_secs(7)),
            ),
            (
                Failure {
                    status: Some(429),
                    code: Some(0),
                    retry_after: Some(Duration::from_millis(1500)),
                    description: "You are being rate limited.".into(),
                    ..Default::default()
                },
                Outcome::RetryAfter(Duration::from_millis(1500)),
            ),
            (f(502, "Bad Gateway"), Outcome::Backoff),
            (f(500, "Internal Server Error"), Outcome::Backoff),
            (
                Failure {
                    network: true,
                    description: "operation timed out".into(),
                    ..Default::default()
                },
                Outcome::Backoff,
            ),
            (
                f(403, "Forbidden: bot was blocked by the user"),
                Outcome::Disable("Forbidden: bot was blocked by the user".into()),
            ),
            (
                f(403, "Forbidden: bot was kicked from the supergroup chat"),
                Outcome::Disable("Forbidden: bot was kicked from the supergroup chat".into()),
            ),
            (
                f(400, "Bad Request: chat not found"),
                Outcome::Disable("Bad Request: chat not found".into()),
            ),
            (
                Failure {
                    status: Some(400),
                    migrate_to: Some(-1001234567890),
                    description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
                    ..Default::default()
                },
                Outcome::Migrate(-1001234567890),
            ),
            (f(400, "Bad Request: message is too long"), Outcome::TooLong),
            (
                f(400, "Bad Request: message to edit not found"),
                Outcome::MessageGone,
            ),
            (
                f(
                    400,
                    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
                ),
                Outcome::Unchanged,
            ),
            (
                Failure {
                    status: Some(404),
                    code: Some(10008),
                    description: "Unknown Message".into(),
                    ..Default::default()
                },
                Outcome::MessageGone,
            ),
            (
                Failure {
                    status: Some(404),
                    code: Some(10003),
                    description: "Unknown Channel".into(),
                    ..Default::default()
                },
                Outcome::Disable("Unknown Channel".into()),
            ),
            (
                Failure {
                    status: Some(403),
                    code: Some(50013),
                    description: "Missing Permissions".into(),
                    ..Default::default()
                },
                Outcome::Disable("Missing Permissions".into()),
            ),
            (
                Failure {
                    status: Some(400),
                    code: Some(50035),
                    description:
                        "Invalid Form Body: embeds.0.description: Must be 4096 or fewer in length."
                            .into(),
                    ..Default::default()
                },
                Outcome::TooLong,
            ),
            (
                f(401, "Unauthorized"),
                Outcome::Unauthorized(
                    "the bot token was refused (Unauthorized): revoked or wrong".into(),
                ),
            ),
            (
                Failure {
                    status: Some(401),
                    code: Some(0),
                    description: "401: Unauthorized".into(),
                    ..Default::default()
                },
                Outcome::Unauthorized(
                    "the bot token was refused (401: Unauthorized): revoked or wrong".into(),
                ),
            ),
            (
                f(400, "Bad Request: can't parse entities"),
                Outcome::Drop("Bad Request: can't parse entities".into()),
            ),
        ];
        for (failure, want) in cases {
            assert_eq!(classify(&failure), want, "{failure:?}");
        }
    }
}
