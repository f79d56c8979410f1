# Les textes français de sitrep : chaque message a son jumeau anglais dans en.ftl, avec le même id
# et les mêmes $variables (un test le vérifie). Typographie : espace avant « : », nombres et
# dates à la française (« dim. 1 juin 2025 »).

## Langues

lang-en = anglais
lang-fr = français

## Gravité, vérification, types d'incident (en minuscules ; les cartes mettent les niveaux en capitales)

severity-critical = critique
severity-high = élevé
severity-medium = moyen
severity-low = faible
verification-rumour = rumeur
verification-claimed = revendiqué
verification-reported = rapporté
verification-corroborated = corroboré
verification-confirmed = confirmé
kind-base_overrun = Camp militaire pris
kind-town_seized = Localité prise
kind-territory_retaken = Territoire repris
kind-clash = Affrontement
kind-ambush = Embuscade
kind-attack_on_city = Attaque contre une ville
kind-ied = Engin explosif (EEI)
kind-airstrike = Frappe aérienne ou de drone
kind-shelling = Bombardement
kind-suicide_attack = Attentat-suicide
kind-civilian_attack = Attaque contre des civils
kind-abduction = Enlèvement
kind-blockade = Blocus
kind-unrest = Troubles
kind-political = Politique

## Dates : « dim. 1 juin 2025 », « 1 juin »

weekday-mon = lun.
weekday-tue = mar.
weekday-wed = mer.
weekday-thu = jeu.
weekday-fri = ven.
weekday-sat = sam.
weekday-sun = dim.
month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.
date-full = { $weekday } { $day } { $month } { $year }
date-short = { $day } { $month }

## La carte d'alerte

card-unverified = NON VÉRIFIÉ
card-banner-unverified = ⚠️ NON VÉRIFIÉ : critique, pas encore confirmé par des sources indépendantes
card-killed = Tués : { $toll }
card-verification = Vérification : { $badge } { $level }, { $reasons }
card-sources = Sources : { $list }
card-seen = vu pour la première fois à { $first } UTC, mis à jour à { $updated } UTC
card-map = carte
field-when = Quand
field-where = Où
field-who = Qui
field-killed = Tués
field-verification = Vérification
field-sources = Sources
place-near = { $place } (près de { $town })
toll-unknown = inconnu
toll-confirmed = confirmé
toll-unconfirmed = non confirmé
toll-up-to = jusqu'à { $high } ({ $status })
toll-several = plusieurs ({ $status })
side-forces = { $n ->
    [one] 1 membre des forces de sécurité
   *[other] { $n } membres des forces de sécurité
}
side-civilians = { $n ->
    [one] 1 civil
   *[other] { $n } civils
}
side-militants = { $n ->
    [one] 1 assaillant
   *[other] { $n } assaillants
}
who-claimed = { $actor } (revendiqué)
who-versus = { $first } contre { $others }
who-unknown = acteurs inconnus
reason-claim = revendication du { $actors }
reason-official = déclaration officielle
reason-army = communiqué de l'armée
reason-denied = démenti
reason-footage = images non vérifiées
reason-outlets = { $count } { $count ->
    [one] média
   *[other] médias
}
recent-killed = { $toll } tués

## Le résumé sous le titre de la carte

summary-at = { $kind } à { $place } ({ $country })
# $country arrives with its preposition ("au Mali", "en Côte d'Ivoire"), from fr-names.tsv.
summary-in = { $kind } { $country }
summary-claimed-by = , revendiqué par { $actor }
summary-by = , attribué à { $actor }
summary-killed =  ; { $toll } tués
summary-killed-unconfirmed =  ; { $toll } tués (non confirmé)
summary-up-to =  ; jusqu'à { $high } tués

## Commandes : aide, à propos, syntaxe

help =
    /recent [pays|région] [jours] [gravité_min] : les derniers incidents
    /incident <id> : un incident avec toutes ses sources
    /subscribe ML BF [région=…] [près=Lieu:km] [min=…] [vérifié=…] [type=…] [mot=…] : alertes pour ce canal (admins)
    /unsubscribe <id|all> : arrêter un abonnement (admins)
    /subscriptions : les abonnements et la langue de ce canal
    /mute <durée> [région] : suspendre les nouvelles alertes (admins)
    /unmute : reprendre les alertes (admins)
    /lang en|fr : la langue du canal (admins)
    /map [pays|région] [jours] : la carte des incidents récents
    /digest HH:MM [fuseau] | off : un résumé quotidien à cette heure locale (admins)
    /sources : l'état des sources d'information
    /about : ce qu'est sitrep
about = sitrep lit l'actualité en français et en anglais sur les violences armées au Sahel et en Afrique de l'Ouest, regroupe les récits de chaque incident, évalue sa gravité et notre degré de certitude, et alerte les canaux abonnés. Logiciel libre ; les bilans sont ceux rapportés, non vérifiés.
usage = Utilisation : { $usage }
usage-recent = /recent [pays|région] [jours 1-90] [faible|moyen|élevé|critique]
usage-incident = /incident <id>, par ex. /incident ML-20250601-boulkessi
usage-subscribe = /subscribe ML BF [région=Mopti] [près=Mopti:150] [min=élevé] [vérifié=corroboré] [type=embuscade] [mot=convoi]
usage-unsubscribe = /unsubscribe <id|all>
usage-mute = /mute <durée, par ex. 2h ou 1d> [région]
usage-lang = /lang en|fr
usage-map = /map [pays|région] [jours 1-90]
usage-digest = /digest HH:MM [fuseau, p. ex. Africa/Bamako] | /digest off
usage-help = /help

## Erreurs des commandes

error-which-incident = Quel incident ?
error-which-subscription = Quel abonnement ? Son id figure dans /subscriptions.
error-how-long = Pour combien de temps ?
error-not-duration = « { $value } » n'est pas une durée.
error-mute-range = Une suspension dure de 1 minute à 30 jours.
error-unknown-command = Commande inconnue /{ $name }.
error-days-range = { $days } jours : hors limites.
error-unknown = { $what } inconnu(e) : « { $word } ».
error-unknown-suggest = { $what } inconnu(e) : « { $word } ». Vouliez-vous dire { $suggestion } ?
what-country = Pays
what-region = Région
what-place = Lieu
what-country-or-region = Pays ou région
what-kind = Type d'incident
error-radius = « { $value } » n'est pas un rayon de 1 à 1000 km.
error-unknown-option = Option inconnue « { $name } ».
error-say-where = Dites où : des pays, une région ou près=Lieu:km.
error-severity = « { $value } » n'est pas une gravité : faible, moyen, élevé ou critique.
error-verification = « { $value } » n'est pas un niveau de vérification : rumeur, revendiqué, rapporté, corroboré ou confirmé.
error-lang = « { $value } » n'est pas une langue de sitrep : en ou fr.
error-digest-time = « { $value } » n'est pas une heure : HH:MM de 00:00 à 23:59.
error-digest-zone = Fuseau horaire inconnu « { $value } » : un nom IANA comme Africa/Bamako ou UTC.
error-failed = Désolé, cela n'a pas fonctionné ; veuillez réessayer plus tard.
error-unsupported = Interaction non prise en charge.

## Réponses des commandes

reply-admin-only = Seul un administrateur de ce canal peut modifier ses alertes.
reply-no-incident = Aucun incident { $id }. /recent liste les plus récents.
reply-subscribed = Abonné ({ $id }) : { $description }
reply-removed = { $count } { $count ->
    [one] abonnement supprimé
   *[other] abonnements supprimés
}.
reply-no-such-subscription = Aucun abonnement { $id } ici. /subscriptions les liste.
reply-muted = Nouvelles alertes suspendues jusqu'au { $until }. Les mises à jour des incidents déjà envoyés arrivent toujours. /unmute pour reprendre.
reply-muted-region = Nouvelles alertes pour { $region } suspendues jusqu'au { $until }. Les mises à jour des incidents déjà envoyés arrivent toujours. /unmute pour reprendre.
reply-unmuted = Alertes reprises.
reply-no-source = Aucune source n'a encore été interrogée.
reply-source = { $name } : { $status }, dernier succès { $last }, { $items } articles
source-ok = ok
source-failing = en échec ({ $count } fois)
source-never = jamais
reply-no-recent = Aucun incident ces { $days } derniers jours.
reply-more = … et { $count } de plus
reply-lang-set = Ce canal lit désormais sitrep en français. Les alertes déjà envoyées restent telles quelles.
reply-lang-current = Ce canal lit sitrep en { $language }. /lang en ou /lang fr pour changer (admins).
describe-regions = régions { $list }
describe-near = à moins de { $km } km de { $place }
describe-severity = gravité ≥ { $level }
describe-verification = vérification ≥ { $level }
describe-kinds = types { $list }
describe-keywords = mots-clés { $list }
subs-disabled = Les envois ici sont désactivés : { $reason }
subs-operator = (opérateur) { $description }
subs-muted = Suspendu jusqu'au { $until }
subs-muted-region = Suspendu pour { $region } jusqu'au { $until }
subs-language = Langue : { $language }
subs-none = Aucun abonnement ici. /subscribe pour en ajouter un.

## Descriptions des commandes (menu des commandes de Telegram, liste des commandes de Discord)

command-recent = Derniers incidents : /recent [pays|région] [jours] [gravité_min]
command-incident = Un incident avec toutes ses sources : /incident <id>
command-subscribe = Alertes pour ce chat : /subscribe ML BF min=élevé près=Mopti:150
command-unsubscribe = Arrêter un abonnement : /unsubscribe <id|all>
command-subscriptions = Les abonnements de ce chat
command-mute = Suspendre les nouvelles alertes : /mute <durée> [région]
command-unmute = Reprendre les alertes
command-lang = La langue du chat : /lang en|fr
command-map = La carte des incidents récents : /map [pays|région] [jours]
command-digest = Un résumé quotidien : /digest HH:MM [fuseau] ou /digest off
command-sources = État des sources d'information
command-help = Ce que sitrep sait faire
command-about = Ce qu'est sitrep
discord-recent = Les derniers incidents
discord-incident = Un incident avec toutes ses sources
discord-subscribe = Alertes pour ce canal
discord-unsubscribe = Arrêter un abonnement
discord-subscriptions = Les abonnements de ce canal
discord-mute = Suspendre les nouvelles alertes
discord-unmute = Reprendre les alertes
discord-lang = La langue du canal
discord-map = La carte des incidents récents
discord-digest = Un résumé quotidien dans ce canal
discord-sources = État des sources d'information
discord-help = Ce que sitrep sait faire
discord-about = Ce qu'est sitrep
option-country = Pays
option-region = Région
option-days = Combien de jours en arrière
option-min-severity = Gravité minimale
option-incident-id = Id de l'incident, par ex. ML-20250601-boulkessi
option-near = Près d'un lieu
option-radius = Rayon autour du lieu
option-min-verification = Vérification minimale
option-kind = Type d'incident
option-keyword = Un mot qui doit figurer dans un article
option-subscription-id = Id de l'abonnement, ou all
option-duration = par ex. 2h, 1d
option-mute-region = Seulement cette région
option-language = Langue
option-map-country = Pays (par défaut : les abonnements de ce canal)
option-map-days = Combien de jours en arrière (7 par défaut)
option-digest-time = Heure locale HH:MM, ou off
option-digest-zone = Fuseau horaire IANA, p. ex. Africa/Bamako (UTC par défaut)

## La carte des incidents récents (/map) et sa légende

period-days = les { $count } derniers jours
period-hours = { $count ->
    [one] la dernière heure
   *[other] les { $count } dernières heures
}
count-incidents = { $count ->
    [one] 1 incident
   *[other] { $count } incidents
}
count-incidents-killed = { $count ->
    [one] 1 incident · { $killed } tués
   *[other] { $count } incidents · { $killed } tués
}
map-period = { $period } jusqu'au { $date }
map-severity = Gravité
map-killed = Tués
map-size-none = aucun signalé
map-size-most = 50 et plus
map-grouped = incidents rapprochés
map-empty = Aucun incident sur { $period }
map-subscribed-area = Zone suivie
map-whole-region = Sahel et Afrique de l'Ouest
map-caption = { $count ->
    [0] { $title } : aucun incident sur { $period }.
    [one] { $title } : 1 incident sur { $period }.
   *[other] { $title } : { $count } incidents sur { $period }.
}
map-failed = Désolé, la carte n'a pas pu être dessinée ; /recent liste les incidents.

## Le résumé quotidien (/digest)

digest-title = Résumé quotidien
digest-heading = 📋 Résumé quotidien · { $period } jusqu'au { $end } ({ $zone })
digest-nothing = { $heading } : aucun incident.
digest-no-new = Aucun nouvel incident.
digest-country = • { $country } : { $count } ({ $split })
digest-worst = Les plus graves :
digest-changed = Changements depuis le dernier résumé :
digest-change = { $badge } #{ $id } : { $changes }
digest-toll = bilan révisé de { $from } à { $to }
digest-toll-confirmed = bilan révisé de { $from } à { $to } (confirmé)
digest-toll-none = aucun
digest-now = désormais { $badge } { $level }
reply-digest-set = Résumé quotidien activé : chaque jour à { $time } ({ $zone }), les 24 dernières heures des abonnements de ce canal. /digest off pour l'arrêter.
reply-digest-off = Résumé quotidien arrêté.
reply-digest-status = Résumé quotidien à { $time } ({ $zone }). /digest off pour l'arrêter.
reply-digest-none = Pas de résumé quotidien ici. /digest 07:00 Africa/Bamako en lance un.

## Avis à l'opérateur

notice-down = la source { $source } est en panne depuis le { $since } : { $error }
notice-recovered = la source { $source } fonctionne de nouveau après { $duration }
