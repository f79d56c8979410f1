# sitrep's English texts. Every message here has a French twin in fr.ftl with the same id and the
# same $variables (a test checks both). Ids: area-what[-detail]. Placeables are not isolated
# (no bidi marks): the texts go to chat platforms as they are.

## Languages

lang-en = English
lang-fr = French

## Severities, verification levels, kinds (lowercase; cards put the levels in capitals)

severity-critical = critical
severity-high = high
severity-medium = medium
severity-low = low
verification-rumour = rumour
verification-claimed = claimed
verification-reported = reported
verification-corroborated = corroborated
verification-confirmed = confirmed
kind-base_overrun = Base overrun
kind-town_seized = Town seized
kind-territory_retaken = Territory retaken
kind-clash = Clash
kind-ambush = Ambush
kind-attack_on_city = Attack on city
kind-ied = IED
kind-airstrike = Air/drone strike
kind-shelling = Shelling
kind-suicide_attack = Suicide attack
kind-civilian_attack = Attack on civilians
kind-abduction = Abduction
kind-blockade = Blockade
kind-unrest = Unrest
kind-political = Political

## Dates: "Sun 1 Jun 2025", "1 Jun"

weekday-mon = Mon
weekday-tue = Tue
weekday-wed = Wed
weekday-thu = Thu
weekday-fri = Fri
weekday-sat = Sat
weekday-sun = Sun
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
date-full = { $weekday } { $day } { $month } { $year }
date-short = { $day } { $month }

## The alert card

card-unverified = UNVERIFIED
card-banner-unverified = ⚠️ UNVERIFIED: critical, not yet confirmed by independent sources
card-killed = Killed: { $toll }
card-verification = Verification: { $badge } { $level }, { $reasons }
card-sources = Sources: { $list }
card-seen = first seen { $first } UTC, updated { $updated } UTC
card-map = map
field-when = When
field-where = Where
field-who = Who
field-killed = Killed
field-verification = Verification
field-sources = Sources
place-near = { $place } (near { $town })
toll-unknown = unknown
toll-confirmed = confirmed
toll-unconfirmed = unconfirmed
toll-up-to = up to { $high } ({ $status })
toll-several = several ({ $status })
side-forces = { $n ->
    [one] 1 member of the security forces
   *[other] { $n } security personnel
}
side-civilians = { $n ->
    [one] 1 civilian
   *[other] { $n } civilians
}
side-militants = { $n ->
    [one] 1 militant
   *[other] { $n } militants
}
who-claimed = { $actor } (claimed)
who-versus = { $first } vs { $others }
who-unknown = actors unknown
reason-claim = { $actors } claim
reason-official = official statement
reason-army = army statement
reason-denied = denied
reason-footage = unverified footage
reason-outlets = { $count } { $count ->
    [one] outlet
   *[other] outlets
}
recent-killed = { $toll } killed

## The summary under a card's headline

summary-at = { $kind } at { $place }, { $country }
summary-in = { $kind } in { $country }
summary-claimed-by = , claimed by { $actor }
summary-by = , by { $actor }
summary-killed = ; { $toll } killed
summary-killed-unconfirmed = ; { $toll } killed (unconfirmed)
summary-up-to = ; up to { $high } killed

## Commands: help, about, usage lines

help =
    /recent [country|region] [days] [min_severity]: the newest incidents
    /incident <id>: one incident with all its sources
    /subscribe ML BF [region=…] [near=Place:km] [min=…] [verified=…] [kind=…] [keyword=…]: alerts for this channel (admins)
    /unsubscribe <id|all>: stop a subscription (admins)
    /subscriptions: this channel's subscriptions and language
    /mute <duration> [region]: pause new alerts (admins)
    /unmute: resume alerts (admins)
    /lang en|fr: the channel's language (admins)
    /map [country|region] [days]: the map of recent incidents
    /digest HH:MM [zone] | off: a daily digest at that local time (admins)
    /sources: health of the news sources
    /about: what sitrep is
about = sitrep reads English and French news about armed violence in the Sahel and West Africa, merges the reports of each incident, grades how severe it is and how sure we are, and alerts subscribed channels. Open source; tolls are reported figures, not verified ones.
usage = Usage: { $usage }
usage-recent = /recent [country|region] [days 1-90] [low|medium|high|critical]
usage-incident = /incident <id>, e.g. /incident ML-20250601-boulkessi
usage-subscribe = /subscribe ML BF [region=Mopti] [near=Mopti:150] [min=high] [verified=corroborated] [kind=ambush] [keyword=convoy]
usage-unsubscribe = /unsubscribe <id|all>
usage-mute = /mute <duration, e.g. 2h or 1d> [region]
usage-lang = /lang en|fr
usage-map = /map [country|region] [days 1-90]
usage-digest = /digest HH:MM [zone, e.g. Africa/Bamako] | /digest off
usage-help = /help

## Command errors

error-which-incident = Which incident?
error-which-subscription = Which subscription? Its id is in /subscriptions.
error-how-long = For how long?
error-not-duration = "{ $value }" is not a duration.
error-mute-range = A mute lasts from 1 minute to 30 days.
error-unknown-command = Unknown command /{ $name }.
error-days-range = { $days } days is out of range.
error-unknown = Unknown { $what } "{ $word }".
error-unknown-suggest = Unknown { $what } "{ $word }": did you mean { $suggestion }?
what-country = country
what-region = region
what-place = place
what-country-or-region = country or region
what-kind = kind
error-radius = "{ $value }" is not a radius from 1 to 1000 km.
error-unknown-option = Unknown option "{ $name }".
error-say-where = Say where: countries, a region or near=Place:km.
error-severity = "{ $value }" is not a severity: low, medium, high or critical.
error-verification = "{ $value }" is not a verification level: rumour, claimed, reported, corroborated or confirmed.
error-lang = "{ $value }" is not a language sitrep speaks: en or fr.
error-digest-time = "{ $value }" is not a time of day: HH:MM from 00:00 to 23:59.
error-digest-zone = Unknown time zone "{ $value }": an IANA name such as Africa/Bamako or UTC.
error-failed = Sorry, that did not work; please try again later.
error-unsupported = Unsupported interaction.

## Command replies

reply-admin-only = Only an administrator of this channel can change its alerts.
reply-no-incident = No incident { $id }. /recent lists the newest.
reply-subscribed = Subscribed ({ $id }): { $description }
reply-removed = Removed { $count } { $count ->
    [one] subscription
   *[other] subscriptions
}.
reply-no-such-subscription = No subscription { $id } here. /subscriptions lists them.
reply-muted = New alerts paused until { $until }. Updates to incidents already sent still arrive. /unmute to resume.
reply-muted-region = New alerts for { $region } paused until { $until }. Updates to incidents already sent still arrive. /unmute to resume.
reply-unmuted = Alerts resumed.
reply-no-source = No source has been polled yet.
reply-source = { $name }: { $status }, last success { $last }, { $items } items
source-ok = ok
source-failing = failing ({ $count }x)
source-never = never
reply-no-recent = No incident in the last { $days } days.
reply-more = … and { $count } more
reply-lang-set = This channel now reads sitrep in English. Alerts already sent stay as they are.
reply-lang-current = This channel reads sitrep in { $language }. /lang en or /lang fr changes it (admins).
describe-regions = regions { $list }
describe-near = within { $km } km of { $place }
describe-severity = severity ≥ { $level }
describe-verification = verification ≥ { $level }
describe-kinds = kinds { $list }
describe-keywords = keywords { $list }
subs-disabled = Delivery here is disabled: { $reason }
subs-operator = (operator) { $description }
subs-muted = Muted until { $until }
subs-muted-region = Muted for { $region } until { $until }
subs-language = Language: { $language }
subs-none = No subscription here. /subscribe to add one.

## Command descriptions (Telegram's command menu, Discord's command list)

command-recent = Newest incidents: /recent [country|region] [days] [min_severity]
command-incident = One incident with all its sources: /incident <id>
command-subscribe = Alerts for this chat: /subscribe ML BF min=high near=Mopti:150
command-unsubscribe = Stop a subscription: /unsubscribe <id|all>
command-subscriptions = This chat's subscriptions
command-mute = Pause new alerts: /mute <duration> [region]
command-unmute = Resume alerts
command-lang = The chat's language: /lang en|fr
command-map = The map of recent incidents: /map [country|region] [days]
command-digest = A daily digest: /digest HH:MM [zone] or /digest off
command-sources = Health of the news sources
command-help = What sitrep can do
command-about = What sitrep is
discord-recent = The newest incidents
discord-incident = One incident with all its sources
discord-subscribe = Alerts for this channel
discord-unsubscribe = Stop a subscription
discord-subscriptions = This channel's subscriptions
discord-mute = Pause new alerts
discord-unmute = Resume alerts
discord-lang = The channel's language
discord-map = The map of recent incidents
discord-digest = A daily digest in this channel
discord-sources = Health of the news sources
discord-help = What sitrep can do
discord-about = What sitrep is
option-country = Country
option-region = Region (admin1)
option-days = How many days back
option-min-severity = Lowest severity
option-incident-id = Incident id, e.g. ML-20250601-boulkessi
option-near = Near a place
option-radius = Radius around the place
option-min-verification = Lowest verification
option-kind = Kind of incident
option-keyword = A word that must appear in a report
option-subscription-id = Subscription id, or all
option-duration = e.g. 2h, 1d
option-mute-region = Only this region
option-language = Language
option-map-country = Country (default: this channel's subscriptions)
option-map-days = How many days back (default 7)
option-digest-time = Local time HH:MM, or off
option-digest-zone = IANA time zone, e.g. Africa/Bamako (default UTC)

## The map of recent incidents (/map) and its legend

period-days = last { $count } days
period-hours = last { $count ->
    [one] hour
   *[other] { $count } hours
}
count-incidents = { $count ->
    [one] 1 incident
   *[other] { $count } incidents
}
count-incidents-killed = { $count ->
    [one] 1 incident · { $killed } killed
   *[other] { $count } incidents · { $killed } killed
}
map-period = { $period } to { $date }
map-severity = Severity
map-killed = Killed
map-size-none = none reported
map-size-most = 50 and more
map-grouped = incidents close together
map-empty = No incident in the { $period }
map-subscribed-area = Subscribed area
map-whole-region = Sahel and West Africa
map-caption = { $count ->
    [0] { $title }: no incident in the { $period }.
    [one] { $title }: 1 incident in the { $period }.
   *[other] { $title }: { $count } incidents in the { $period }.
}
map-failed = Sorry, the map could not be drawn; /recent lists the incidents.

## The daily digest (/digest)

digest-title = Daily digest
digest-heading = 📋 Daily digest · { $period } to { $end } ({ $zone })
digest-nothing = { $heading }: no incident.
digest-no-new = No new incident.
digest-country = • { $country }: { $count } ({ $split })
digest-worst = Worst:
digest-changed = Changed since the last digest:
digest-change = { $badge } #{ $id }: { $changes }
digest-toll = toll revised from { $from } to { $to }
digest-toll-confirmed = toll revised from { $from } to { $to } (confirmed)
digest-toll-none = none
digest-now = now { $badge } { $level }
reply-digest-set = Daily digest on: every day at { $time } ({ $zone }), the last 24 hours of this channel's subscriptions. /digest off to stop it.
reply-digest-off = Daily digest off.
reply-digest-status = Daily digest at { $time } ({ $zone }). /digest off to stop it.
reply-digest-none = No daily digest here. /digest 07:00 Africa/Bamako starts one.

## Operator notices

notice-down = source { $source } is down since { $since }: { $error }
notice-recovered = source { $source } recovered after { $duration }
