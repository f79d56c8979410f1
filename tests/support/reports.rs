//! The reports the end-to-end tests publish: the seed's Boulkessi attack as RFI reported it in
//! French (JNIM claim, army acknowledgement, "plus d'une trentaine" killed), then the wire's
//! English report of the army's toll (34, official), which merges into it and confirms it.

#![allow(dead_code)]

/// The first report: RSS with one French item.
pub const BOULKESSI_FR: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>RFI</title>
<item><title>Mali : le camp militaire de Boulkessi attaqué par le JNIM</title><link>https://www.rfi.example/boulkessi</link><guid>rfi-1</guid>
<pubDate>Mon, 02 Jun 2025 18:30:00 GMT</pubDate><description>Le camp militaire de Boulkessi, dans le centre du Mali, a été attaqué dimanche à l'aube par des combattants du JNIM, qui ont revendiqué l'assaut. Selon des sources locales, les assaillants se sont emparés du camp. Plus d'une trentaine de soldats auraient été tués. L'armée malienne a reconnu l'attaque dans un communiqué.</description></item>
</channel></rss>"#;

/// The follow-up: RSS with one English item that confirms the toll.
pub const BOULKESSI_TOLL_EN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Mali army says 34 soldiers were killed in Boulkessi attack</title><link>https://wire.example/boulkessi-toll</link><guid>wire-1</guid>
<pubDate>Wed, 04 Jun 2025 10:05:00 GMT</pubDate><description>BAMAKO (Reuters) - Mali's army said on Wednesday that 34 soldiers were killed when jihadists attacked its camp in Boulkessi on Sunday. The general staff said in a statement that the death toll rose to 34.</description></item>
</channel></rss>"#;
