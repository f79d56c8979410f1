//! Pacing under the platforms' limits, so that 429s stay rare: Telegram allows about 30 messages
//! a second overall (sitrep keeps to 29 by default), one a second in a private chat and 20 a minute in a group; Discord about one
//! a second per channel. A 429 holds the target for as long as the platform asked. Only the
//! targets whose next slot is still ahead are remembered, so that a month of sends to channels
//! that come and go does not grow the pacer.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::model::Target;

/// The limits to keep.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Messages per second across all Telegram chats.
    pub telegram_per_second: f64,
    /// Spacing in one private Telegram chat.
    pub telegram_chat: Duration,
    /// Spacing in one Telegram group, supergroup or channel (negative chat id).
    pub telegram_group: Duration,
    /// Spacing in one Discord channel.
    pub discord_channel: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            telegram_per_second: 29.0,
            telegram_chat: Duration::from_secs(1),
            telegram_group: Duration::from_secs(3),
            discord_channel: Duration::from_secs(1),
        }
    }
}

/// Targets remembered before the pacer first forgets those whose slot has passed.
const SWEEP_FROM: usize = 256;

/// When each target (and Telegram as a whole) may be sent to next.
pub struct Pacer {
    limits: Limits,
    telegram_next: Instant,
    next: HashMap<Target, Instant>,
    /// The map's size that triggers the next sweep: twice what the last sweep kept (amortized).
    sweep_at: usize,
}

impl Pacer {
    pub fn new(limits: Limits) -> Pacer {
        Pacer {
            limits,
            telegram_next: Instant::now(),
            next: HashMap::new(),
            sweep_at: SWEEP_FROM,
        }
    }

    /// How long until `target` may be sent to again (its own spacing, or a 429 hold).
    pub fn ready_in(&self, target: &Target) -> Duration {
        let now = Instant::now();
        self.next
            .get(target)
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now))
    }

    /// Takes the next send to `target`: returns how long to wait for the platform-wide slot
    /// (at most a few tens of milliseconds) and books the target's next slot after it.
    pub fn reserve(&mut self, target: &Target) -> Duration {
        let now = Instant::now();
        let mut at = self.next.get(target).copied().unwrap_or(now).max(now);
        let spacing = match target {
            Target::Telegram { chat, .. } if *chat < 0 => self.limits.telegram_group,
            Target::Telegram { .. } => self.limits.telegram_chat,
            Target::Discord { .. } => self.limits.discord_channel,
        };
        if matches!(target, Target::Telegram { .. }) {
            at = at.max(self.telegram_next);
            self.telegram_next =
                at + Duration::from_secs_f64(1.0 / self.limits.telegram_per_second.max(0.1));
        }
        self.next.insert(*target, at + spacing);
        self.sweep(now);
        at - now
    }

    /// Targets remembered now (their next slot is ahead, or not yet swept).
    pub fn remembered(&self) -> usize {
        self.next.len()
    }

    /// Forgets the targets whose next slot has passed (they may be sent to at once, as an
    /// unknown target may), once the map doubled since the last sweep.
    fn sweep(&mut self, now: Instant) {
        if self.next.len() < self.sweep_at {
            return;
        }
        self.next.retain(|_, at| *at > now);
        self.sweep_at = (self.next.len() * 2).max(SWEEP_FROM);
    }

    /// The platform asked us to wait before sending to this target again.
    pub fn hold(&mut self, target: &Target, wait: Duration) {
        let until = Instant::now() + wait;
        let slot = self.next.entry(*target).or_insert(until);
        *slot = (*slot).max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spacing_per_chat_group_and_overall() {
        let mut p = Pacer::new(Limits::default());
        let private: Target = "telegram:42".parse().unwrap();
        let group: Target = "telegram:-1001".parse().unwrap();
        assert_eq!(p.reserve(&private), Duration::ZERO);
        assert_eq!(
            p.ready_in(&private),
            Duration::from_secs(1),
            "one a second in a chat"
        );
        let slot = Duration::from_secs_f64(1.0 / 29.0);
        assert_eq!(p.reserve(&group), slot, "29 a second overall");
        assert_eq!(
            p.ready_in(&group),
            slot + Duration::from_secs(3),
            "20 a minute in a group"
        );
        // 30 different chats take about a second.
        let mut p = Pacer::new(Limits::default());
        let last = (0..30)
            .map(|n| {
                p.reserve(&Target::Telegram {
                    chat: n,
                    topic: None,
                })
            })
            .last()
            .unwrap();
        assert!(
            last >= Duration::from_millis(950) && last <= Duration::from_millis(1001),
            "{last:?}"
        );
        // A 429 holds the chat.
        p.hold(&private, Duration::from_secs(10));
        assert!(p.ready_in(&private) >= Duration::from_secs(10));
        tokio::time::advance(Duration::from_secs(11)).await;
        assert_eq!(p.ready_in(&private), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_month_of_channels_that_come_and_go_does_not_grow_the_pacer() {
        let mut p = Pacer::new(Limits::default());
        let held: Target = "telegram:-42".parse().unwrap();
        p.hold(&held, Duration::from_secs(3600));
        for n in 0..20_000i64 {
            let t = Target::Discord {
                channel: 1_000 + n as u64,
            };
            p.reserve(&t);
            tokio::time::advance(Duration::from_millis(100)).await;
            assert!(
                p.remembered() <= 2 * SWEEP_FROM,
                "{} at {n}",
                p.remembered()
            );
        }
        // A target still held is not forgotten, and spacing still holds for a recent one.
        assert!(p.ready_in(&held) > Duration::ZERO);
        let recent = Target::Discord { channel: 7 };
        p.reserve(&recent);
        assert_eq!(p.ready_in(&recent), Duration::from_secs(1));
    }
}
