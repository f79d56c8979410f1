//! Telegram channel preview pages (`https://t.me/s/NAME`) for the tests and the benchmark, built
//! from the documented structure: `div.tgme_widget_message[data-post]`, the text in
//! `div.tgme_widget_message_text`, the time in `time[datetime]`, an "edited" marker in
//! `.tgme_widget_message_meta`, `.tgme_widget_message_forwarded_from` for forwards. The posts are
//! written for the tests: no real channel's posts.

#![allow(dead_code)]

/// How one post looks.
#[derive(Default, Clone)]
pub struct Msg {
    pub id: u64,
    /// The body's HTML; `None` for a photo-only post.
    pub html: Option<String>,
    pub datetime: String,
    pub edited: bool,
    /// The original post's address of a forward (`https://t.me/NAME/ID`).
    pub forwarded_from: Option<String>,
    pub photo: bool,
    /// Padding like a real page's: link preview, reactions, view counts.
    pub rich: bool,
}

impl Msg {
    pub fn text(id: u64, html: &str, datetime: &str) -> Msg {
        Msg {
            id,
            html: Some(html.to_string()),
            datetime: datetime.to_string(),
            ..Default::default()
        }
    }
}

/// One post's HTML.
pub fn message(channel: &str, m: &Msg) -> String {
    let forwarded = m.forwarded_from.as_ref().map_or(String::new(), |url| {
        format!(
            r#"<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="{url}"><span dir="auto">Original channel</span></a></div>"#
        )
    });
    let photo = if m.photo || m.html.is_none() {
        format!(
            r#"<a class="tgme_widget_message_photo_wrap 5361" href="https://t.me/{channel}/{id}" style="width:800px;background-image:url('https://cdn4.telesco.pe/file/photo{id}.jpg')"><div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a>"#,
            id = m.id
        )
    } else {
        String::new()
    };
    let body = m.html.as_ref().map_or(String::new(), |h| {
        format!(r#"<div class="tgme_widget_message_text js-message_text" dir="auto">{h}</div>"#)
    });
    let rich = if m.rich {
        format!(
            r#"<a class="tgme_widget_message_link_preview" href="https://news.example/article-{id}"><i class="link_preview_right_image" style="background-image:url('https://cdn4.telesco.pe/file/preview{id}.jpg')"></i><div class="link_preview_site_name accent_color" dir="auto">News example</div><div class="link_preview_title" dir="auto">A linked article about the region, its title as the site gives it</div><div class="link_preview_description" dir="auto">The first lines of the linked article as the site describes them to link previews, cut after about two hundred characters so that the preview stays short on a phone screen…</div></a><div class="tgme_widget_message_reactions js-message_reactions"><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F918D.png')"><b>👍</b></i>124</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F98A2.png')"><b>😢</b></i>87</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F998F.png')"><b>🙏</b></i>45</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F9894.png')"><b>😔</b></i>12</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/E29DA4.png')"><b>❤</b></i>9</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F9189.png')"><b>👉</b></i>4</span></div>"#,
            id = m.id
        )
    } else {
        String::new()
    };
    let reply = if m.rich {
        format!(
            r#"<a class="tgme_widget_message_reply" href="https://t.me/{channel}/{id}"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">Sahel test channel</span></div><div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">Rappel: le bulletin précédent sur les marchés, la météo et la santé dans la région, avec les prix relevés par nos correspondants dans les principaux marchés hebdomadaires et les prévisions de pluie pour les trois prochains jours selon les services météorologiques nationaux, ainsi que les numéros utiles des centres de santé de district et des services techniques de l'agriculture pour les producteurs qui souhaitent obtenir des semences améliorées ou des engrais subventionnés avant le début des semis.</div></a>"#,
            id = m.id.saturating_sub(1)
        )
    } else {
        String::new()
    };
    let edited = if m.edited { "edited " } else { "" };
    format!(
        r#"<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{id}" data-view="eyJjIjotMTAwMTIzNDU2Nzg5MCwicCI6MTIzNCwidCI6MTcwMDAwMDAwMCwiaCI6ImFiY2RlZiJ9"><div class="tgme_widget_message_user"><a href="https://t.me/{channel}"><i class="tgme_widget_message_user_photo bgcolor1" data-content="S"><img src="https://cdn4.telesco.pe/file/avatar.jpg"></i></a></div><div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="11px" height="20px" viewBox="0 0 11 20"><g fill="none" fill-rule="evenodd"><path d="M6,17.5 L6,0 L0,0 C3.5,0 6,2.5 6,6 L6,17.5 C6,19 7.5,20 11,20 C7,20 6,19 6,17.5 Z" fill="white"></path></g></svg></i><div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">Sahel test channel</span></a></div>{forwarded}{reply}{photo}{body}{rich}<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">12.4K</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" href="https://t.me/{channel}/{id}"><time datetime="{dt}" class="time">07:15</time></a></span></div></div></div></div></div>"#,
        id = m.id,
        dt = m.datetime,
    )
}

/// A preview page with these posts (oldest first, as Telegram lists them).
pub fn page(channel: &str, msgs: &[Msg]) -> String {
    let posts: String = msgs.iter().map(|m| message(channel, m)).collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sahel test channel – Telegram</title><meta name="viewport" content="width=device-width, initial-scale=1.0"><link href="//telegram.org/css/widget-frame.css?71" rel="stylesheet"><link href="//telegram.org/css/telegram-web.css?40" rel="stylesheet"></head><body class="widget_frame_base tgme_webpreview emoji_image"><header class="tgme_header"><div class="tgme_header_search"><form class="tgme_header_search_form" action="/s/{channel}" method="get"><input class="tgme_header_search_form_input" name="q" placeholder="Search"></form></div></header><main class="tgme_main"><div class="tgme_container"><section class="tgme_channel_history js-message_history"><div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before={before}" class="tme_messages_more js-messages_more" data-before="{before}"></a></div>{posts}</section></div></main><div class="tgme_channel_info"><div class="tgme_channel_info_header"><i class="tgme_page_photo_image bgcolor1" data-content="S"><img src="https://cdn4.telesco.pe/file/avatar.jpg"></i><div class="tgme_channel_info_header_title"><span dir="auto">Sahel test channel</span></div><div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div></div><div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">48.2K</span> <span class="counter_type">subscribers</span></div></div></div><script src="//telegram.org/js/widget-frame.js?66"></script></body></html>"#,
        before = msgs.first().map_or(0, |m| m.id),
    )
}

/// What t.me shows for a name without a public channel (after redirecting `/s/NAME` there).
pub fn missing(name: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram: Contact @{name}</title></head><body class="no_transition"><div class="tgme_page_wrap"><div class="tgme_head_wrap"><div class="tgme_head"><a href="//telegram.org/" class="tgme_head_brand"></a></div></div><div class="tgme_body_wrap"><div class="tgme_page"><div class="tgme_page_title"><span dir="auto">{name}</span></div><div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain={name}">@{name}</a> right away.</div></div></div></div></body></html>"#
    )
}

/// A post of the kind channels of the region carry, about 600 characters, with formatting,
/// emoji, a link and hashtags.
pub fn long_post(n: u64) -> String {
    format!(
        r#"<i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F94B4.png')"><b>🔴</b></i><b>FLASH | Attaque contre un poste militaire près de Djibo (n° {n})</b><br/><br/>Selon des sources locales, des hommes armés ont attaqué tôt ce matin un poste de l'armée à une vingtaine de kilomètres de Djibo, dans la province du Soum. Les combats ont duré plusieurs heures et un bilan provisoire fait état de plusieurs morts parmi les soldats et les VDP. <i>Les autorités n'ont pas encore communiqué.</i><br/><br/>Des habitants joints par téléphone évoquent des tirs nourris et des mouvements de véhicules en direction de la frontière.<br/><br/><a href="https://news.example/burkina/djibo-{n}" target="_blank" rel="noopener">news.example/burkina/djibo-{n}</a><br/><a href="?q=%23Burkina">#Burkina</a> <a href="?q=%23Sahel">#Sahel</a> <i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F87A7F09F87AB.png')"><b>🇧🇫</b></i>"#
    )
}

/// A page of `n` rich posts ending at `last`, about 5 KB each, like a busy news channel's.
pub fn busy_page(channel: &str, last: u64, n: u64) -> String {
    let msgs: Vec<Msg> = (last + 1 - n..=last)
        .map(|id| Msg {
            rich: true,
            photo: id % 3 == 0,
            ..Msg::text(id, &long_post(id), "2025-06-02T07:15:00+00:00")
        })
        .collect();
    page(channel, &msgs)
}
