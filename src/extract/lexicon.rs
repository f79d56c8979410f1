//! The English and French cue phrases of domain.md §1.3, §2.2, §7.3 and §7.4, as regular
//! expressions over folded text (lowercase, accents removed): event kinds, how the article knows
//! (claims, statements, own sources, unverified footage, denials, wires), severity bumps, targets,
//! and the sentences that are totals, history or forecasts rather than events.

use std::sync::OnceLock;

// Byte regexes without Unicode classes: the text is folded to ASCII letters, and ASCII `\b`, `\w`
// and `[^.]` keep every pattern inside the fast lazy DFA.
use regex::bytes::{Regex, RegexBuilder};

use crate::model::Kind;

/// A kind cue found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindCue {
    pub kind: Cue,
    /// Byte offset in the folded sentence.
    pub at: usize,
}

/// What a cue says about the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A specific kind.
    Kind(Kind),
    /// "attack", "raid", "attaque": the kind depends on target and place.
    Attack,
}

/// One pattern of the lexicon. Each is searched on its own. Run together in a `RegexSet`, they
/// were one lazy DFA whose states are every combination of partial matches in progress: text
/// it had met was read fast (6-7 µs a sentence), but new text, which is all a deployment
/// reads, built new states at every sentence (30-40 µs a sentence after 12,000 sentences of
/// warm-up, 160 µs at first). Alone, each DFA's states are soon all built: 19-20 µs for a new
/// sentence after the same warm-up, 14-16 µs for one met before (measured on 20,780 sentences
/// of news text, including ECB+'s, read once in order).
fn re(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        // The long alternations build many lazy-DFA states: with the default 2 MiB cache they
        // are thrown away and built again sentence after sentence.
        .dfa_size_limit(16 << 20)
        .build()
        .expect("lexicon patterns compile")
}

struct Lexicon {
    kinds: Vec<(Regex, Cue)>,
    not_attack: Regex,
    lasting: Regex,
    sports: Regex,
    claim: Regex,
    claim_negated: Regex,
    state_statement: Regex,
    condemnation: Regex,
    local_official: Regex,
    official: Regex,
    official_negated: Regex,
    confirmation_pending: Regex,
    reported: Regex,
    rumour: Regex,
    denial: Regex,
    wire: Regex,
    coordinated: Regex,
    airport: Regex,
    foreigners: Regex,
    aid_workers: Regex,
    military_target: Regex,
    civilian_target: Regex,
    period: Regex,
    history: Regex,
    forecast: Regex,
    base_ref: Regex,
    civilian_phrase: Regex,
    position: Regex,
    disaster: Regex,
    period_phrase: Regex,
    communal: Regex,
    credit: Regex,
    deadly: Regex,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        // A military position, for overruns.
        let post = r"(?:army |military |militaire |de l'armee |des fama |de la gendarmerie )?(?:base|camp|outpost|post|garrison|barracks|position|detachment|caserne|poste|garnison|detachement|emprise)s?";
        let seize = r"(?:overr[au]n|overrunning|seiz(?:ed|es|ing|ure of)|captur(?:ed|es|ing|e of)|took control of|taken control of|takeover of|stormed|sacked|clear(?:ed)? the|s'(?:est|sont) empare?s? d[eu]|se sont empares d[eu]|pris le controle d[eu]|prise d[eu]|(?:la )?prise d'|occupe(?:nt)?|tombe (?:aux|entre les) mains|ont pris|a pris|investi)";
        let kinds = vec![
            (re(r"suicide (?:bomb(?:er|ers|ing)?|attack|car bomb|vest)|kamikazes?|vbied|car bomb|vehicule piege|voiture piegee|attentat[- ]suicide|explosive[- ]laden (?:vehicle|car|truck)|ceinture d'explosifs|bombers? (?:blew|detonated)"), Cue::Kind(Kind::SuicideAttack)),
            (re(&format!(r"{seize} (?:the |an |a |l'|le |la |un |une |their |its )?(?:\w+ ){{0,3}}{post}|{post} (?:\w+ ){{0,3}}(?:was |were |had been |has been |a ete |est )?(?:overrun|seized|captured|fell|tombe)|clear the camp")), Cue::Kind(Kind::BaseOverrun)),
            (re(r"(?:took|taken|seized|captured|seize|seizing|capture) (?:control of )?(?:the )?(?:town|city|village|locality|commune|district)|(?:pris|prise|pris le) (?:le )?controle de la (?:ville|localite|commune)|(?:s'(?:est|sont) empare?s?|se sont empares) de la (?:ville|localite|commune)|occupent (?:desormais )?la (?:ville|localite)|(?:hoist|rais)(?:ed|ing) (?:a |the |their |its )?(?:black |jihadist )?(?:flag|banner)|hisse (?:le|leur|un) drapeau|parad(?:ing|ed|ant|e|aient) (?:dans|in|through) (?:les rues|the streets)|fell (?:to|into the hands of)|tombee? (?:aux|entre les) mains"), Cue::Kind(Kind::TownSeized)),
            (re(r"recaptur(?:ed|e|ing)|retook|retaken|\bretak(?:es?|ing)\b|regain(?:ed|s|ing)? control|\breprenn?(?:d|ent|ant) (?:le controle|la ville|la localite)|(?:armee|fama|forces|militaires|soldats|troupes|fds)\b(?: [\w']+){0,3} (?:a |ont )?(?:repris|reprend|reprennent) (?:[a-km-z][a-z]{3,}|l[a-df-z][a-z]{2,}|le[a-tv-z][a-z]*)\b|reclaimed (?:the )?(?:town|city|area|locality)|liberated the (?:town|city|locality)|repris (?:le controle|possession)|reprise de (?:la (?:ville|localite|commune))|(?:a|ont) repris (?:\w+ ){0,2}(?:la ville|la localite|le controle)|annonce(?:nt)? la reprise (?:de|du) |reconquis|liber(?:e|ee|ation) (?:de )?la (?:ville|localite)"), Cue::Kind(Kind::TerritoryRetaken)),
            (re(r"ambush(?:ed|es|ing)?|embuscades?|tendu une embuscade|guet-apens"), Cue::Kind(Kind::Ambush)),
            (re(r"(?:a|an|twin|two|three|bomb|deadly|huge|massive|powerful|multiple|several|fresh|new) blasts?\b|\b(?:for|after|in|from|over|by) (?:\w+ ){0,2}blasts?\b(?: kill| in| at|$|[^ a-z])|hit by (?:\w+ )?(?:bombs?|blasts?|explosions?)\b|\bblasts? (?:kill|kills|killed|hit|hits|rock|rocks|rocked|tore|ripped|in|at)\b|bombings?\b|bomb (?:attack|explosion)|\bbombs? (?:explode[sd]?|went off|goes off|detonated|hidden|planted)\b|(?:^|[:-] ?)(?:\w+ )?bombs? (?:kills?|killed)\b|\b(?:planted|hidden|homemade|crude) bombs?\b|\bbombe (?:artisanale|a explose|explose)|explosions? (?:at|in|hits?|rock(?:s|ed)?|ripped|tore|kill(?:s|ed)?|claim(?:s|ed)?)|explosion (?:d'une bombe|dans)|improvised explosive|\bieds?\b|roadside bomb|landmines?|\bmines?\b(?: artisanale)?|explosive device|engins? explosifs?|explosion d'un engin|\bengin (?:a |avait )?explose|(?:saute|sautes|sautee) sur un engin|\beei\b|sauter sur une mine|explosion d'une mine|mine-laying|hit a mine|struck a mine|heurte une mine"), Cue::Kind(Kind::Ied)),
            (re(r"(?:launch(?:ed|es)?|conduct(?:ed|s)?|carr(?:ied|ies) out) (?:\w+ )?strikes?|\bstrikes? (?:on|against|targeting) (?:\w+ )?(?:targets?|militants?|insurgents?|camps?|positions?|hideouts?|isil|isis|bandits?|jihadists?|terrorists?)|missile strikes?|missiles? (?:being )?(?:fired|launched) (?:on|at|into)|drone strikes?|drone attacks?|aerial (?:bombardment|strikes?)|bombed from the air|air force (?:jets? )?(?:struck|bombed|strikes?)|air ?strikes?|air[- ]raids?|aerial attacks?|(?:warplanes?|fighter jets?|military jets?|jets|helicopters?|gunships?|drones?|aircraft) (?:struck|strike|bombed|bomb|bombs|hit|hits|pounded|pound|pounds|targeted|target|targets|attacked|kill|kills|killed|neutrali[sz]e[sd]?)|\b(?:drones?|aeronefs?|avions? de chasse|helicopteres?|vecteurs aeriens)(?: de l'armee(?: de l'air)?| militaires?| armes?| de combat| turcs?)? (?:a |ont )?(?:tue|tuent|frappe|frappent|neutralise|neutralisent|bombarde|bombardent|cible|ciblent)\b|bombs? (?:target|targeted|hit|struck|fell)|bombed by (?:the )?(?:us|u\.s\.|american|nigerian|malian|burkinabe|french|military|army|air force|jets?|warplanes?|drones?)\b|(?:\bus|u\.s\.|american|military|army|air force|nigerian|malian|burkinabe|nigerien|chadian|french) (?:air |drone |missile )?strikes? (?:in|on|against|hit|kill)|frappes? (?:aeriennes?|de drones?|d'aeronefs?)|bombardements? aeriens?|drone turc|frappe aerienne|aeronefs? (?:ont|a) (?:frappe|neutralise)|vecteurs aeriens"), Cue::Kind(Kind::Airstrike)),
            (re(r"mortars?|shell(?:ing|ed|s)|artillery|rockets?|obus|tirs de roquettes|roquettes|tirs d'artillerie|tirs d'obus|bombardements? (?:d'artillerie|au mortier)"), Cue::Kind(Kind::Shelling)),
            (re(r"kidnap(?:ped|ping|pers|s)?|abduct(?:ed|ion|ions|ing|s)?\b|hostages?|taken captive|held captive|enleve(?:s|es|e|nt|ment|ments)?|enlevement|\botages?\b|\brapt\b|kidnappe(?:s|es)?|pris en otage|sequestr"), Cue::Kind(Kind::Abduction)),
            (re(r"blockade|blocus|besieged|under siege|siege (?:of|on)|assiege|\bencercl\w* (?:la |les )?(?:ville|localite|commune|cite)s?\b|\b(?:ville|localite|commune|cite) (?:\w+ ){0,2}(?:est|sont|reste|restent) encerclee?s?\b|fuel (?:convoy|tankers?|trucks?)|camions?[- ]citernes?|citernes|convoi de (?:carburant|vivres|ravitaillement)|supply convoy"), Cue::Kind(Kind::Blockade)),
            (re(r"\bmob (?:\w+ )?(?:lynch\w*|kill\w*|attack\w*|beat\w*|burn\w*|set)\b|\blynch(?:ed|es|ing|e|ee|es|ees)\b|vindicte populaire|justice populaire|protest(?:s|ers|ed|ing)?|demonstrat(?:ion|ions|ors|ed)|riot(?:s|ers|ing)?|manifestations?|manifestants?|emeutes?|sit-in|marche de protestation|took to the streets|descendus? dans la rue|colere des (?:populations|habitants)"), Cue::Kind(Kind::Unrest)),
            (re(r"(?:seiz(?:e|ed|es|ing)|tak(?:en|e|es|ing)|took|grabb?(?:ed)?) (?:\w+ )?power|(?:pris|prendre|prise du|s'emparer du|empare du) (?:le )?pouvoir|coup (?:attempt|bid|plot|plotters?|in progress|under way|underway)|(?:apparent|attempted|military|failed|foiled|botched|thwarted) coup\b|announc\w* (?:an? )?(?:apparent )?coup\b|coup d'etat|putschistes?|(?:attempted|failed|foiled|thwarted) (?:a )?coup|tentative (?:de )?(?:coup|putsch)|putsch (?:en cours|manque)|mutin(?:y|ie|eers|s)|(?:rebel|mutinous|renegade) soldiers|soldats (?:rebelles|mutins)|(?:army |military )?officers? (?:\w+ ){0,3}(?:claim|claimed|claims|say|said|says|announce|announced|seize|seized|took|take|taken)\w* (?:\w+ ){0,3}'?(?:total |full |complete )?control\b|(?:they|it) (?:have|has|had) (?:taken|seized) power|state of emergency|etat d'urgence|dissolved (?:all )?political parties|dissolution des partis|withdr[ae]w(?:al)? from ecowas|retrait de la cedeao|suspend(?:ed|u|us) (?:the )?(?:broadcast|rfi|france 24)|expelled the (?:french )?ambassador|expulse l'ambassadeur"), Cue::Kind(Kind::Political)),
            (re(r"clash(?:ed|es)?|fighting|fought|combats?|affrontements?|accrochages?|gun ?fights?|gun battle|exchange of fire|echanges? de tirs|firefight|battle|s'affrontent|se sont affrontes|repel(?:led)? (?:an |the )?(?:attack|assault)|repousse (?:une|l')attaque|engaged in fierce combat|(?:communal|inter-?communal|ethnic|religious|sectarian|tribal|cult) (?:crisis|violence|war)|conflits? (?:inter-?communautaires?|communautaires?|entre (?:agriculteurs|eleveurs|cultivateurs|communautes))|violences? (?:inter-?communautaires?|communautaires?)"), Cue::Kind(Kind::Clash)),
            (re(r"massacre[ds]?|massacring|tuerie|carnage|slaughter(?:ed)?|summarily executed|executed (?:\w+ ){0,4}(?:civilians|villagers|people|men)|\bexecute (?:\w+ ){0,4}(?:civils|villageois|personnes|hommes|habitants)\b|execution sommaire|burned (?:the )?village|incendie le village|villagers (?:were )?killed|civils tues|civilians (?:were )?killed"), Cue::Kind(Kind::CivilianAttack)),
            (re(r"\b(?:haram|iswap|jnim|gsim|bandits|gunmen|jihadists|insurgents|terrorists|militants|herdsmen|cultists|cult group|assailants|islamists|islamic state) (?:strike|strikes|struck|bomb|bombs|bombed)\b|\battack(?:s|ed|ing)?\b|\braids?\b|raided|assault(?:ed|s)?|onslaught|offensive|stormed|storming|opened fire|ouvert le feu|pris(?:es)? pour cibles?|attaque(?:s|nt|e|es)?|attaquee?s?|assauts?|incursions?|descente|killed|\bkills?\b|\b(?:stab(?:bed|s)?|hack(?:ed|s)?|beat(?:en|s)?|burn(?:ed|t|s)?|ston(?:ed|es)|club(?:bed|s)?|machete[ds]?|lynch(?:ed|es)?) (?:\w+ ){0,3}to death\b|\bkillings?\b|tues|\btuent\b|\btue\b|\bmassacrent\b|\btorch(?:ed|es|ing)?\b|\bset (?:fire to|ablaze)|\bburn(?:ed|t|s)? (?:down )?(?:\w+ ){0,2}(?:houses|homes|villages?|huts|granaries|shops|market|churches|mosques|schools)\b|\bloot(?:ed|s|ing)\b|\bpillag(?:ed|es|ing)\b|\bpill(?:e|ent|ant|es)\b|\bincendi(?:e|ent|ant|es|ees) (?:\w+ ){0,2}(?:maisons|greniers|cases|boutiques|marche|villages?|eglises?|mosquees?|ecoles?)\b|\bassassin(?:ent|e|es|ee|ees|at|ated|ate|ates)\b|\bexecut(?:ent|e|es|ed)\b|neutrali[sz](?:e|es|ees|ed|ent|ing|ation)\b|abattu|explosions? (?:was |were )?heard|loud (?:explosions?|blasts?|bangs?)|fortes? explosions?|shot dead|shot down|shoots? down|shooting down|downed (?:a|an|the|their|its) (?:\w+ )?(?:helicopter|aircraft|plane|jet|drone)|shoots? (?:\w+ ){0,3}dead|gunned down|(?:heavy |intense |sporadic )?gunfire|gunshots|explosions|tirs nourris|coups de feu|detonations|echanges de tirs"), Cue::Attack),
        ];
        Lexicon {
            kinds,
            not_attack: re(r"heart attacks?|crises? cardiaques?|\b(?:gold|tin|coal|lithium|uranium|mining|artisanal) mines?\b|\bmines? (?:d'or|d'orpaillage)|\bmines? artisanales? d'(?:or|orpaillage)|\bsites? (?:de )?mines? artisanales?|cyber[- ]?attacks?|cyberattaques?|attaques? informatiques?|panic attacks?|asthma attacks?|attaques? de panique|attack(?:ing)? (?:line|midfielder|force|minded)|political attacks?|verbal attacks?|attaques? verbales?|attack(?:ed|s|ing)? (?:his |her |their |the |its )?(?:\w+(?:'s)? )?(?:rivals?|opponents?|critics|polic(?:y|ies)|record|remarks|reforms?|plans?|budget|decision|leadership|opposition|government|president|minister|party|bill|ruling|proposal|comments)\b|attaque(?:s)? contre (?:son|le|leur) (?:rival|adversaire|bilan)|personal attacks?|attaques? personnelles?|killed the (?:bill|motion|deal)|shark attack|dog attack|kidnap(?:ping)? (?:gangs?|rings?|syndicates?|kingpins?|business|industry|economy|epidemic|crisis|hotspots?|capital)|(?:kidnap\w*|abductions?)(?: for ransom)?[:,]? (?:is |are |has become |have become |becomes |remains )?(?:a |an )?(?:booming|lucrative|thriving|growing|flourishing) (?:business|industry|trade|economy)|(?:gangs?|rings?|syndicates?) of kidnappers|(?:arrest(?:s|ed)?|nab(?:s|bed)?|apprehend(?:s|ed)?|parade(?:s|d)?|detain(?:s|ed)?|interpell\w*|arrete(?:nt)?|arrestation(?: de)?) (?:\w+ ){0,3}(?:kidnappers?|abductors?|ravisseurs|kidnapping suspects|suspected kidnappers)|gangs? d'enleveurs|industrie (?:du|des) (?:rapt|enlevements?)"),
            lasting: re(r"\b(?:for|over) (?:\w+ )?(?:months|weeks|years)\b|\bdepuis (?:des|plusieurs|quelques|\w+) (?:mois|semaines|annees|ans)\b|\b(?:since|depuis) 20\d\d\b|\bhad been under\b"),
            sports: re(r"football|soccer|\bmatch\b|goal(?:s|keeper)?|striker|midfield|\bleague\b|championnat|super eagles|etalons|\bcan 20|afcon|world cup|coupe du monde|\bbuts?\b|attaquant|tournament|tournoi|stade|stadium|coach|selectionneur"),
            claim: re(r"claim(?:ed|s|ing)? (?:responsibility|the (?:attack|assault|ambush|killing|abduction|kidnapping|raid|bombing|operation))|claim of responsibility|said (?:it|they) (?:was|were|had been)? ?(?:behind|carried out|responsible|launched|attacked|killed|seized)|announced (?:that )?(?:it|they) (?:had )?(?:launched|carried out|attacked|seized|killed|captured|took)|az-?zallaqa|\bamaq\b|al-naba|propaganda (?:arm|outlet|agency)|media arm|revendiqu|revendication|organe de propagande|a annonce avoir|ont annonce avoir|affirme avoir (?:tue|attaque|pris|abattu)|said in a statement (?:on|via|posted|released) (?:its|the group's|their)|in a statement (?:posted|released|shared) (?:on|via|by) (?:its|the group|their|telegram)|dans un communique (?:diffuse|publie|relaye) (?:sur|par|via) (?:ses|leurs|son)|(?:said|says|say|claimed|claims|announced|announces) (?:that )?(?:it|they|its fighters|its men) (?:had |has )?(?:\w+ed|shot down|carried out|overran|overrun|took|seized|struck|hit|downed)\b|(?:dit|disent|affirme|affirment|assure|assurent) avoir|(?:a|ont) affirme avoir|(?:a|ont) (?:dit|assure) avoir"),
            claim_negated: re(r"(?:no|not|nor|yet to|has not|have not|had not|n'a|n'ont|aucun|sans|pas) (?:\w+ ){0,4}(?:claim|revendiqu)|unclaimed|non revendique"),
            state_statement: re(r"[-:] ?(?:nigerian |malian |the )?(?:police|officials?|army|military|governor|government|authorities|presidency|minister|spokesman)\s*\.?$|(?:^|[^a-z] )(?:police|officials|authorities|army|military|governor|government|presidency|minister|commissioner) (?:say|says|said|confirm|confirms|confirmed)\b|\bofficials? (?:says|tells)\b|\ban? (?:government|state|senior government|police|military) official (?:has |had )?(?:said|says|told|described|confirmed)\b|\b(?:president|prime minister|head of state|junta leader|trump|tinubu)(?:'s)? (?:\w+ )?(?:says|said)\b|(?:nigeria|mali|niger|burkina faso|chad|benin|togo|ghana) confirms\b|(?:the |mali's |malian |nigerien |burkinabe |nigerian |chadian |beninese |togolese )?(?:army|military|armed forces|junta|government|defence ministry|defense ministry|ministry of defen[cs]e|security forces|police|governor|authorities|spokesman|spokesperson)(?: \w+){0,3} (?:said|says|stated|announced|confirmed|acknowledged|admitted|conceded|reported|issued|released|put|gave)|(?:according to|in a statement by|a statement from|statement (?:by|from)) (?:the |a |an )?(?:(?:nigerian|malian|burkinabe|nigerien|chadian|beninese|togolese|state|local|regional|federal|national|defen[cs]e|interior|security|army|military|police|government|provincial)(?:'s)? ){0,3}(?:army|military|government|authorities|junta|ministry|minister|governor|police|presidency|spokes(?:man|woman|person)|commissioner)(?:[^a-z ]|$| (?:in|on|at|who|which|that|and|said|says|statement|spokes\w+|of|command)\b)|according to (?:the )?(?:\w+ ){0,2}police (?:command|headquarters|public relations officer|pro)\b|selon (?:l'armee|l'etat-major|le gouvernement|les autorites|le ministere|le ministre|la police|la gendarmerie|le gouverneur|la presidence|le porte-parole|les fds|les fama|le haut commandement|le haut-commandement)\b|army statement|military statement|(?:l'armee|l'etat-major|le gouvernement|les autorites|le ministere|le ministre|la gendarmerie|la police|le gouverneur|les fds|les fama|le porte-parole)(?: \w+){0,4} (?:a|ont|avait|avaient)? ?(?:indique|affirme|annonce|reconnu|confirme|precise|fait etat|communique|declare|informe)|selon (?:l'armee|l'etat-major|le gouvernement|les autorites|un communique (?:de l'armee|du gouvernement|de l'etat-major|officiel))|communique (?:de l'armee|du gouvernement|de l'etat-major|officiel)|(?:a|ont|avait|avaient) (?:annonce|indique|affirme|precise|declare|reconnu|confirme|communique) (?:le gouvernement|l'armee|l'etat-major|le ministere|les autorites|la gendarmerie|la police|le gouverneur|la presidence|le porte-parole)|etat-major general des armees|reacted vigorously|riposte vigoureuse|vigorous(?:ly)? (?:response|reaction)|dhq|defence headquarters|reagi vigoureusement|(?:porte-parole|spokes(?:man|woman|person))[^.]*?\b(?:a (?:indique|reconnu|declare|affirme|precise|confirme)|acknowledged|admitted|conceded|said|confirmed|indique|reconnait)|in a statement,? (?:the )?(?:\w+ ){0,4}(?:defence|defense|army|military|police|ministry|government|governor|presidency)\b[^.]*?\bsaid|(?:communique|statement) (?:of |for |from |de |du |de l')(?:the )?(?:nigerian |malian |burkinabe |nigerien )?(?:army|military|government|police|ministry|junta|defence|defense|armee|gouvernement|ministere|etat-major|gendarmerie)[^.]*?\b(?:a (?:indique|reconnu|declare|affirme|precise|confirme)|acknowledged|admitted|conceded|said|confirmed|indique|reconnait)|(?:a|ont) (?:annonce|indique|affirme|precise|declare|reconnu|confirme|communique)(?: \w+){0,3} (?:le gouvernement|l'armee|l'etat-major|le ministere|les autorites|la gendarmerie|la police|le gouverneur|la presidence|le porte-parole)|\bministry\b(?: \w+){0,3} (?:said|says|stated|announced|confirmed)"),
            // "Governor Lawal condemned the killings", "le gouvernement a condamné l'attaque": the
            // state tells the attack happened.
            condemnation: re(r"\b(?:governor|government|president|presidency|minister|ministry|junta|authorities|police|army|military|tinubu|buhari)(?:'s)?(?: [\w'.]+){0,4} (?:has |have |had |strongly |swiftly )?(?:condemned|condemns|condemning|decried|decries|denounced|denounces)\b|\b(?:le gouverneur|le president|la presidence|le gouvernement|le ministre|le ministere|les autorites|la junte|l'armee)(?: [\w'.]+){0,4} (?:a |ont )?(?:fermement |vivement )?(?:condamne|condamnent|denonce|deplore)\b"),
            // "said Adama Coulibaly, the prefect", "le préfet de Bandiagara, Amadou Guindo, a
            // confirmé", "Sani Aliyu, chairman of Argungu LGA, told…": a local official speaks.
            local_official: re(r"\b(?:prefect|sub-prefect|prefet|sous-prefet|mayor|maire|(?:council|lga|local government|caretaker committee) chairman|chairman of|district head|village head|traditional ruler|commander of|haut-commissaire|high commissioner)\b(?: [\w',-]+){0,8} (?:said|says|told|confirmed|confirms|explained|a (?:confirme|indique|declare|affirme|precise|explique|dit|raconte))\b|\b(?:said|says|told|confirmed)(?: [\w'-]+){1,3},? (?:the |a |an )?(?:local )?(?:prefect|sub-prefect|mayor|chairman|district head|village head|commander)\b"),
            official: re(r"official (?:toll|death toll|figures?|count)|officially|bilan officiel|officiellement|\bocha\b|ohchr|human rights office|haut-commissariat|united nations (?:said|reported|confirmed)|the un (?:said|mission|reported|confirmed|office)|l'onu (?:a|indique)|nations unies|minusma|national (?:day|days) of mourning|days? of national mourning|national mourning|deuil national|(?:army|military|government|ministry|minister|governor|police|authorities|spokes(?:man|woman|person)|junta|presidency|commissioner|defence headquarters|dhq)\b[^.]*?\b(?:confirm(?:ed|s)?|put the (?:death )?toll|gave a toll|said (?:that )?(?:at least |some )?\w+ (?:soldiers|people|civilians|troops|villagers|police|officers|members) (?:were|had been|died))|\b(?:confirm(?:ed|s)?)\b[^.]*?\b(?:the (?:army|military|government|ministry|governor|police|authorities))\b|(?:l'armee|le gouvernement|le ministere|le gouverneur|la police|les autorites|l'etat-major|le porte-parole|la gendarmerie|la presidence)\b[^.]*?\b(?:confirme|a confirme|ont confirme)|(?:a|ont) confirme[^.]*?(?:le gouvernement|l'armee|le ministere|les autorites|le gouverneur|la police)"),
            official_negated: re(r"pending|not yet|yet to|has not|have not|had not|could not|unable to|no official|without official|unconfirmed|n'a pas|n'ont pas|pas encore|en attente|aucun bilan officiel|non confirme|sans confirmation|refused to|declined to|did not|would not|ne pouvait pas|impossible de confirmer|awaiting"),
            confirmation_pending: re(r"confirmation (?:\w+ ){0,5}(?:is |was )?(?:still )?(?:pending|awaited)|n'(?:a|ont|avait|avaient) (?:pas )?(?:encore )?(?:officiellement )?confirme|\bni (?:l'armee|la police|le gouvernement|les autorites|l'etat-major)|neither (?:the )?(?:army|police|government|military|authorities)|(?:did|does|has|have|had) not (?:yet )?(?:officially )?confirm|declined to confirm|could not confirm|no official confirmation|awaiting (?:official )?confirmation|(?:not|yet to) (?:been |be )?(?:officially |independently )?confirmed|en attente de confirmation|pas (?:encore )?(?:ete )?confirme|aucune confirmation|sans confirmation"),
            reported: re(r"according to (?:(?:several|multiple|local|security|medical|hospital|humanitarian|military|police|community|two|three|various|concordant) )*(?:sources?|residents?|witnesses|officials?|elders?|a local|an official|hospital|the hospital|survivors|a relative|relatives|community leaders?|a security)|(?:sources?|residents?|witnesses?|survivors?|eyewitness(?:es)?|a local official|local officials|an official|a doctor|medics|health workers|a nurse|community leaders?|an elder|a relative)(?: \w+){0,3} (?:said|told|say|reported|described|recounted|confirmed)|told (?:afp|reuters|the associated press|ap|rfi|the bbc|bbc|al jazeera|premium times|daily trust)|speaking on condition of anonymity|on condition of anonymity|requested anonymity|selon (?:(?:des|une|nos|plusieurs|deux|de) )?(?:sources?|habitants?|temoins?|elus?|notables?|rescapes?|un elu|un notable|un habitant|un temoin|des temoignages|un responsable|un agent|un medecin)|sources? (?:locales?|securitaires?|sanitaires?|hospitalieres?|concordantes|humanitaires?|militaires?|proches)|des habitants|un habitant|habitants joints|temoins|a appris (?:rfi|l'afp|studio tamani|aib|jeune afrique|le monde)|joints? par telephone|sous couvert d'anonymat|a raconte|ont raconte|temoigne"),
            rumour: re(r"unverified|purportedly|purported|circulating on social media|social media (?:posts?|footage|videos?)|posted online|shared online|could not (?:be )?(?:independently )?(?:verify|verified|confirm|confirmed)|cannot be (?:independently )?verified|has not been (?:independently )?verified|have not been verified|not been independently|unconfirmed reports|rumou?rs?|non authentifi|non verifi|circulent sur les reseaux|circulant sur les reseaux|reseaux sociaux|n'a pas pu (?:etre )?(?:verifi|confirm)|n'ont pas pu (?:etre )?(?:verifi|confirm)|impossible de verifier|de source independante|rumeurs?"),
            denial: re(r"\bdenied\b|\bdenies\b|\bdeny\b|dismissed (?:the |these |those )?(?:reports?|claims?) as|rejected (?:the |these )?(?:reports?|claims?)|false (?:reports?|claims?|information)|fake news|\bdementi|\bdement(?:ent)?\b|fausses? informations?|\bintox\b|\binfox\b|propagande mensongere"),
            wire: re(r"\((reuters|afp|ap)\)|^(?:[a-z' -]{2,40},? )?\(?(reuters|afp|ap)\)? ?[-]|[-] (afp|reuters|ap)\s*$|(?:according to|told|selon|a appris|a indique a) (?:l')?(afp|reuters|the associated press|agence france-presse)|(agence france-presse)"),
            coordinated: re(r"\b(?:coordinated|complex attack|simultaneous(?:ly)?|multiple (?:fronts|directions)|attaques? coordonnees?|attaque complexe|simultanees?|plusieurs fronts|sophisticated attack)\b"),
            airport: re(r"\b(?:airport|air ?base|airfield|aeroport|base aerienne|aerodrome)\b"),
            foreigners: re(r"\b(?:foreign(?:ers| nationals?| workers| tourists)|expatriates?|tourists?|etrangers?|ressortissants?|(?:a|an|two|three|four|five|several) (?:french|chinese|german|italian|american|austrian|spanish|indian|russian|turkish|moroccan|swiss) (?:nationals?|citizens?|engineers?|workers?|missionar(?:y|ies)|priests?|tourists?)|(?:un|une|deux|trois|quatre|cinq|plusieurs) (?:francais|chinois|allemands?|italiens?|americains?|autrichiens?|espagnols?|indiens?|russes|turcs|marocains?|suisses?))\b"),
            aid_workers: re(r"\b(?:aid workers?|humanitarian (?:workers?|staff|convoy|personnel)|ngo (?:staff|workers?|employees)|travailleurs humanitaires|humanitaires|agents? humanitaires?|peacekeepers?|casques bleus|msf|medecins sans frontieres|red cross|croix-rouge|wfp|pam |unicef|unhcr)\b"),
            military_target: re(r"\b(?:customs|douanes?|douaniers?|forest guards?|eaux et forets|soldiers?|troops|army|armee|military|militaires?|soldats?|gendarmes?|gendarmerie|police(?:men|man)?|police officers?|policiers?|vigilantes?|\bcjtf\b|\bvdp\b|\bfds\b|\bfama\b|security forces|forces de (?:defense|securite)|base|camp|outpost|garrison|caserne|poste (?:militaire|de police|de gendarmerie|avance)|convoy|convoi|patrol|patrouille|checkpoint|position)\b"),
            civilian_target: re(r"\b(?:civilians?|villagers?|residents?|worshippers?|faithful|farmers?|herders?|traders?|travell?ers?|passengers?|women and children|students|pupils|schoolchildren|mourners|displaced|markets?|mosques?|church(?:es)?|schools?|hospitals?|wedding|funeral|villages?|houses|huts|cattle|livestock|granar(?:y|ies)|shops|(?:passenger |commercial )?(?:bus|buses|minibus(?:es)?|boats?|canoes?)|civils?|villageois|habitants|fideles|cultivateurs|agriculteurs|eleveurs|commercants|voyageurs|passagers|femmes et (?:des )?enfants|eleves|etudiants|deplaces|marche|mosquee|eglises?|ecoles?|mariage|funerailles|(?:le |du |un |des |les )villages?|maisons|greniers|betail|boutiques|bateaux?|pinasses?|autocars?|(?:auto)?cars? (?:de transport|de voyageurs|de passagers)|vehicules? de transport(?: en commun)?|transport en commun|population|orpailleurs|gold miners|site d'orpaillage|(?:gold|artisanal) mines?|mining sites?|mines? d'or|sites? miniers?)\b"),
            period: re(r"since (?:the (?:start|beginning) of|january|february|march|april|may|june|july|august|september|october|november|december|early|late|last|20\d\d)|so far this year|this year|over the (?:past|last) (?:\w+ )?(?:days|weeks|months|years|decade)|in (?:the )?(?:past|last|recent) (?:\w+ )?(?:weeks|months|years)|in a series of|a spate of|a wave of|a string of|(?:\w+ )?attacks (?:have|had) (?:killed|left|claimed)|depuis (?:le debut|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|20\d\d|plusieurs|des mois|l'an)|au cours des (?:\w+ )?(?:derniers|dernieres)|ces (?:\w+ )?(?:dernieres|derniers) (?:semaines|mois|annees|jours)|en un (?:mois|an)|cette annee|une serie d'attaques|une vague d'attaques|according to (?:acled|ucdp|the un|un data|human rights watch|hrw|amnesty)|selon (?:acled|l'onu|un decompte|les donnees|human rights watch|hrw|amnesty)|tally|decompte|total of|au total|in total|(?:killed|tues|morts) (?:in|dans) (?:the )?(?:country|region|sahel|pays)|across (?:the )?(?:sahel|region|country|mali|burkina|niger|nigeria)|dans (?:tout )?le sahel|a travers le"),
            history: re(r"\b(?:comes?|came|follows?|followed|intervient|survient|intervenait|survenait) (?:\w+ ){0,3}(?:days?|weeks?|months?|jours?|semaines?|mois) (?:after|apres)\b|\bapres celle d[eu]\b|(?:^|[,;] )(?:last|earlier this) month\b|(?:^|[,;] )le mois (?:dernier|passe)\b|(?:^|[,;] )(?:en|le|au mois de) (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) (?:dernier|passe)\b|(?:^|[,;] )last (?:january|february|march|april|june|july|august|september|october|november|december)\b|\bpardon(?:ed|s)?\b|\bsentenced\b|\bsentences? (?:\w+ ){0,4}to (?:death|life|\d+ years)\b|commemorat\w*|\bmemorial\b|\bhommage\b|\bin memory of\b|\ben memoire\b|\bconvicted\b|\b(?:arrest(?:s|ed)?|detain(?:s|ed)?|nab(?:s|bed)?|arraign(?:s|ed)?|charge(?:s|d)?|remand(?:s|ed)?|parade(?:s|d)?|prosecut(?:e|es|ed)) (?:[\w']+ ){0,4}(?:over|for|in connection with) (?:[\w']+ ){0,3}(?:killings?|attacks?|murders?|massacres?|abductions?|kidnappings?)\b|\b(?:arrete|interpelle|inculpe|defere|ecroue)(?:e|s|es)? (?:[\w']+ ){0,4}(?:apres|pour|dans le cadre de|suite a) (?:l'|la |le |les )?(?:\w+ )?(?:attaques?|assassinats?|enlevements?|tueries?|massacres?)\b|\bacquitted\b|\bon trial\b|\btrial (?:of|over|for)\b|\bverdict\b|\bgracie|condamnes? a (?:mort|\d)|last year|l'an (?:dernier|passe)|l'annee derniere|a year (?:after|ago)|un an (?:apres|jour pour jour)|anniversary|anniversaire|rappelons|recall that|in recent years|ces dernieres annees|years? ago|il y a (?:\w+ )?(?:ans?|annees?)\b|since 20[01]\d|depuis 20[01]\d|back in|historically|once controlled|was once|fell under|had fallen|recurr?ent|recurring|repeatedly|a plusieurs reprises|multipli(?:ent|e) les attaques|\b\w+ (?:ans|annees|years|mois|months) (?:apres|after|ago)\b|il y a \w+ (?:ans|mois)|frequent(?:ly)? (?:attack|target)|regularly (?:attack|target)|regulierement|theatre (?:d'attaques|de violences)|has long been|depuis des annees|for years|pendant des annees|\b(?:prix|prices?|penuries?|shortages?|files d'attente|queues|inflation|hausse)\b[^.]{0,60}\b(?:du|of the|from the|caused by the|because of the|a cause du|en raison du|lie(?:e|s|es)? au) (?:blocus|blockade)\b|\ba (?:series|spate|string) of (?:\w+ ){0,2}(?:raids|attacks|assaults|ambushes|abductions|kidnappings|killings|bombings)\b|\bune (?:serie|succession) d'(?:\w+ )?(?:attaques|enlevements|embuscades|assassinats)\b"),
            forecast: re(r"could (?:attack|strike|launch)|(?:^|[a-z,] )may (?:attack|strike)|might (?:attack|strike)|threaten(?:ed|s)? to|warn(?:ed|s)? (?:of|that)|fears? (?:of|that)|feared (?:that|to|an?\b|the|attacks?|violence|reprisals?)|risk of|plans? to attack|menace(?:nt)? de|pourrai(?:t|ent) (?:attaquer|frapper)|craint(?:e|es)? (?:de|que|d'une)|redoute|risque d[e']|expected to|is likely to"),
            period_phrase: re(r"since (?:the (?:start|beginning) of )?(?:last |this )?(?:\w+)|so far this year|this year|over the (?:past|last) (?:\w+ )?(?:days|weeks|months|years)|in (?:the )?(?:past|last|recent) (?:\w+ )?(?:weeks|months|years)|depuis (?:le debut (?:de l'annee|du mois|de l'an)?|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|20\d\d)|au cours des (?:\w+ )?(?:derniers|dernieres) \w+|ces (?:\w+ )?(?:dernieres|derniers) (?:semaines|mois|annees|jours)|en un (?:mois|an)|cette annee"),
            communal: re(r"\b(?:cult|cultists?|communal|inter-?communal|ethnic|sectarian|tribal|religious|boundary|land|chieftaincy|farmers?[ /-]+herders?|herders?[ /-]+farmers?|herdsmen|fulani) (?:clash(?:es)?|wars?|violence|crisis|fighting|attacks?|killings?|feuds?|riots?)\b|(?:clash(?:es|ed)?|fighting|affrontements?|heurts) (?:between|entre) (?:\w+ ){0,3}(?:herders?|herdsmen|farmers?|communities|youths|villagers|cult(?:ist)?s?|hunters|eleveurs|agriculteurs|cultivateurs|communautes|jeunes|villageois|chasseurs)\b|\b(?:herders?|herdsmen|farmers?|fulani|communities|villagers|youths|cultists|eleveurs|agriculteurs|cultivateurs|communautes|villageois|jeunes) (?:and|et) (?:\w+ ){0,2}(?:herders?|herdsmen|farmers?|communities|villagers|youths|cultists|eleveurs|agriculteurs|cultivateurs|communautes|villageois|jeunes) (?:clashed|fought|s'affrontent|se sont affrontes|se sont opposes)\b|extra-?judicial (?:killings?|executions?)|mob (?:killing|justice|action)|lynch(?:ed|ing)?|(?:conflits?|affrontements?|violences?|crise) (?:inter-?communautaires?|communautaires?|ethniques?|entre (?:agriculteurs|eleveurs|cultivateurs|communautes))|executions? (?:extra-?judiciaires?|sommaires?)"),
            disaster: re(r"\b(?:floods?|flooding|flash floods?|torrential rains?|heavy rains?|inondations?|pluies (?:diluviennes|torrentielles)|crues?|intemperies|landslides?|glissements? de terrain|road (?:accident|crash|mishap)s?|auto crash|motor accident|(?:lorry|truck|bus|tanker|trailer|vehicle|car|train|motorcycle) (?:crash(?:es|ed)?|accident|collision|plunge[sd]?|overturn(?:s|ed)?|somersault(?:s|ed)?|rammed|derail(?:s|ed)|ran over|runs over|veered)|(?:bus|truck|lorry|car) (?:\w+ ){0,2}(?:into|off) (?:a |the )?(?:ravine|river|gorge|canal|cliff)|accident de la (?:route|circulation)|(?:camion|car|bus|vehicule|voiture|minibus|tricycle|moto|gros porteur|citerne)s? (?:\w+ ){0,2}(?:se renverse|s'est renverse|a fait une sortie de route|a derape|a percute|s'est renverse|se sont percutes|chute dans)|accidents? de (?:bus|camion|car|train|moto|la circulation)|(?:percute|renverse|fauche) (?:des|un|une|plusieurs|\d+) (?:pietons|passants|personnes|eleves)|\bpietons\b|pedestrians|carambolage|sortie de route|derail(?:ed|ment)|deraille|collision|boats? (?:capsized|capsizes|sank|sinks|accident)|capsiz(?:ed|es|ing)|shipwreck|naufrage|chavire|drown(?:ed|ing)|noyade|epidemi(?:c|e)|cholera|meningit(?:is|e)|outbreak of (?:\w+ ){0,2}(?:disease|cholera|measles|lassa|ebola|meningitis|fever|virus|illness)|malaria|paludisme|lassa fever|fievre de lassa|measles|rougeole|diphtheria|diphterie|ebola|mpox|disease|maladie|heat ?wave|canicule|heart attack|cardiac arrest|crise cardiaque|building collapse|effondrement|fire broke out|fire (?:guts|gutted|razes|razed|ravages|ravaged|destroys|destroyed)|(?:market|building|house|factory) fire|inferno|blaze|incendie (?:accidentel|d'origine|au|du|de la|a la|dans|ravage|a ravage|detruit|s'est declare)|explosion (?:accidentelle|of a gas|de gaz|d'une (?:bonbonne|citerne))|gas explosion|tanker explosion|(?:plane|helicopter|aircraft|airplane|jet) crash(?:es|ed)?|(?:plane|helicopter|aircraft) (?:went down|crashed)|crash (?:d'un |de l')(?:avion|helicoptere|appareil)|accident d'(?:avion|helicoptere)|electrocut\w*|lightning|foudre)\b"),
            position: re(r"\b(?:checkpoints?|check-points?|outposts?|(?:army|military|police|gendarmerie) (?:post|base|camp|position)s?|barracks|garrison|convoys?|patrols?|poste (?:militaire|de police|de gendarmerie|avance|de controle)|postes? (?:militaires?|de securite)|camp militaire|caserne|convois?|patrouilles?|commissariat|brigade de gendarmerie|barrage)\b"),
            deadly: re(r"\b(?:gunfire|gunshots|shooting|explosions?|blasts?|tirs|coups de feu|detonations|clashes|fighting|combats|affrontements)(?: \w+){0,5} (?:presidency|presidential palace|palace|capital|barracks|military camp|airport|mosque|church|market|school|presidence|palais|capitale|caserne|camp militaire|aeroport|mosquee|eglise|marche|ecole)\b|\b(?:schools?|church(?:es)?|mosques?|markets?|villages?|communit(?:y|ies)|police stations?|checkpoints?|convoys?|hospitals?|prisons?|homes|houses|buses|worshippers|travell?ers|passengers)(?: \w+){0,2} (?:(?:was|were|has been|have been|came|come|comes) )?(?:under attack|attacked|raided|stormed|torched|razed|bombed|invaded|set ablaze|burnt|burned|sacked)\b|\b(?:school|church|mosque|market|village|community|convoy|checkpoint|bus|hospital|prison|jail)s? (?:attacks?|raids?|shootings?|bombings?|massacres?|killings?)\b|\b(?:ecoles?|eglises?|mosquees?|marches?|villages?|localites?|hameaux|postes?|convois?|cars|bus|fideles|villageois|voyageurs)(?: \w+){0,2} (?:(?:a ete|ont ete|est|sont|a|ont) )?(?:attaquee?s?|prise?s? d'assaut|prise?s? pour cibles?|incendiee?s?|pillee?s?|ciblee?s?)\b|\battaques? (?:d'une? |de la |du |des |de l')(?:\w+ )?(?:ecoles?|eglises?|mosquees?|villages?|localites?|marches?|convois?|postes?|cars|bus)\b|\b(?:reprisal|targeted|senseless|mass|fresh|renewed|gruesome|brutal|ritual) killings?\b|\bkillings? (?:in|at)\b|^\w+ killings\b|\b(?:deadly|fatal|bloody|lethal|fresh|renewed|meurtri(?:ere|eres|ers)?|sanglante?s?) (?:\w+ )?(?:attacks?|raids?|ambush(?:es)?|clash(?:es)?|assaults?|violence|bombings?|blasts?|attaques?|embuscades?|affrontements?|violences|explosions?)\b|\b(?:attaques?|embuscades?|affrontements?|violences|explosions?|assauts?|raids?|combats) (?:\w+ )?(?:meurtri(?:ere|eres|ers)?|sanglante?s?)\b|\b(?:attacks?|raids?|assaults?) (?:on|against) (?:the )?(?:\w+ )?(?:village|villages|town|community|communities|camp|base|market|church|mosque|school|convoy|checkpoint)\b|\b(?:attaques?|assauts?) contre (?:le |la |les |un |une )?(?:village|localite|camp|base|marche|eglise|mosquee|ecole|convoi|poste)\b|\b(?:dozens|scores|many|several|hundreds|des dizaines|plusieurs) (?:(?:people|villagers|civilians|persons|personnes|civils) )?(?:feared |reported |presumed )?(?:dead|killed|morts|tues)\b"),
            credit: re(r"\s*[-:] ?(?:nigerian |malian |the |state |local )?(?:police|officials?|army|military|governor|government|authorities|presidency|minister|spokesman|sources?|witnesses|residents|armee|autorites|gouvernement)(?: \w+)?\s*\.?$"),
            base_ref: re(r"\b(?:the|this|that) (?:army |military )?(?:base|camp|garrison|post|barracks)\b|\b(?:le|ce) (?:camp|poste|garnison)\b|\bla (?:base|caserne)\b"),
            civilian_phrase: re(r"\b(?:idps?'?|displacement|displaced (?:persons'?|people'?s?)|internally displaced persons'?|refugees?'?) camps?\b|\bcamps? (?:de |des |pour (?:les )?)?(?:deplaces|refugies)\b|\bcamps? for (?:the )?(?:internally )?(?:displaced|idps|refugees)\b|\bsites? de deplaces\b|\b(?:collaborat\w*|spying|spies|working|informants?|informers?|informing) (?:with|for|of) (?:the )?(?:army|military|soldiers|troops|security forces|government)\b|\b(?:collabor\w*|travaille\w*|espionn\w*|informateurs?|indicateurs?) (?:avec|pour|de|des) (?:l'armee|les militaires|les soldats|les forces|les fds|les fama|l'etat)\b"),
        }
    })
}

/// Kind cues in a folded sentence, minus non-violent uses of "attack".
pub fn kind_cues(folded: &str) -> Vec<KindCue> {
    let l = lexicon();
    let cleaned;
    let bytes = folded.as_bytes();
    let text: &[u8] = if l.not_attack.is_match(bytes) {
        cleaned = l
            .not_attack
            .replace_all(bytes, |c: &regex::bytes::Captures| vec![b' '; c[0].len()])
            .into_owned();
        &cleaned
    } else {
        bytes
    };
    let sports = l.sports.is_match(text);
    let mut out = Vec::new();
    for (r, cue) in &l.kinds {
        for m in r.find_iter(text) {
            if sports && matches!(cue, Cue::Attack | Cue::Kind(Kind::Clash)) {
                continue;
            }
            // A cue word in scare quotes is a figure of speech: had "ambushed" the government,
            // what Niger called a "blockade".
            let before = &text[..m.start()];
            // "l'explosion", "d'attaque": an elided article, not a quote.
            let elided = before.ends_with(b"'")
                && before
                    .len()
                    .checked_sub(2)
                    .is_some_and(|k| before[k].is_ascii_alphabetic());
            let quoted = !elided
                && [
                    &b"\""[..],
                    b"'",
                    "“".as_bytes(),
                    "«".as_bytes(),
                    "« ".as_bytes(),
                ]
                .iter()
                .any(|q| before.ends_with(q));
            if quoted {
                continue;
            }
            out.push(KindCue {
                kind: *cue,
                at: m.start(),
            });
        }
    }
    // "had been under a jihadist blockade for months", "sous blocus depuis des mois": the town's
    // lasting state, told as background, is not the event.
    // (A convoy or tankers attacked stay the blockade's event.)
    if out.iter().any(|c| c.kind == Cue::Kind(Kind::Blockade)) && l.lasting.is_match(text) {
        out.retain(|c| {
            let supplies = ["fuel", "supply", "convoi", "camion", "citerne"]
                .iter()
                .any(|w| text[c.at..].starts_with(w.as_bytes()));
            c.kind != Cue::Kind(Kind::Blockade) || supplies
        });
    }
    out.sort_by_key(|c| c.at);
    out
}

/// What one sentence says about how it knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceEvidence {
    pub claim: bool,
    pub state_statement: bool,
    pub official: bool,
    pub reported: bool,
    pub rumour: bool,
    pub denial: bool,
    /// "Official confirmation is still pending": a state's statement does not confirm it yet.
    pub confirmation_pending: bool,
    /// A local official speaks of it: a prefect, a mayor, an LGA chairman, a militia commander.
    pub local_official: bool,
}

pub fn evidence(folded: &str) -> SentenceEvidence {
    let l = lexicon();
    let b = folded.as_bytes();
    let confirmation_pending = l.confirmation_pending.is_match(b);
    SentenceEvidence {
        claim: l.claim.is_match(b) && !l.claim_negated.is_match(b),
        state_statement: l.state_statement.is_match(b) || l.condemnation.is_match(b),
        official: l.official.is_match(b)
            && !l.official_negated.is_match(b)
            && !confirmation_pending,
        reported: l.reported.is_match(b),
        rumour: l.rumour.is_match(b),
        denial: l.denial.is_match(b),
        confirmation_pending,
        local_official: l.local_official.is_match(b),
    }
}

/// The wire an article credits ("AFP", "Reuters", "AP"), from a dateline or attribution.
pub fn wire(folded: &str) -> Option<String> {
    let caps = lexicon().wire.captures(folded.as_bytes())?;
    let name = std::str::from_utf8(caps.iter().skip(1).flatten().next()?.as_bytes()).ok()?;
    Some(
        match name {
            "reuters" => "reuters",
            "ap" | "the associated press" => "ap",
            _ => "afp",
        }
        .to_string(),
    )
}

/// Severity bumps and target hints in a folded sentence.
pub struct Context {
    pub coordinated: bool,
    pub airport: bool,
    pub foreigners: bool,
    pub aid_workers: bool,
    pub military: bool,
    pub civilians: bool,
    /// "the camp", "la base": refers back to a military position named before.
    pub base_ref: bool,
    /// A military position is named: post, camp, checkpoint, convoy, patrol.
    pub position: bool,
    /// Group violence named by its kind: a cult, communal, ethnic or farmer-herder clash, an
    /// extrajudicial killing, a lynching.
    pub communal: bool,
    /// The words say people died or a place was attacked without a figure or an actor: "deadly
    /// attacks", "attack on a village", "dozens feared dead".
    pub deadly: bool,
}

pub fn context(folded: &str) -> Context {
    let l = lexicon();
    // "…kill 25 in northeast Nigeria - police": who says so is not who was there.
    let folded = match l.credit.find(folded.as_bytes()) {
        Some(m) => &folded[..m.start()],
        None => folded,
    };
    let b = folded.as_bytes();
    // "an IDP camp", "un camp de déplacés": a camp of civilians, not a military one; "accused
    // of collaborating with the army", "informateurs de l'armée": civilians the army's name is
    // pinned on.
    let displaced = l.civilian_phrase.is_match(b);
    let military = if displaced {
        let rest = l
            .civilian_phrase
            .replace_all(b, |c: &regex::bytes::Captures| vec![b' '; c[0].len()]);
        l.military_target.is_match(&rest)
    } else {
        l.military_target.is_match(b)
    };
    Context {
        coordinated: l.coordinated.is_match(b),
        airport: l.airport.is_match(b),
        foreigners: l.foreigners.is_match(b),
        aid_workers: l.aid_workers.is_match(b),
        military,
        civilians: displaced || l.civilian_target.is_match(b),
        base_ref: l.base_ref.is_match(b),
        position: l.position.is_match(b),
        communal: l.communal.is_match(b),
        deadly: l.deadly.is_match(b),
    }
}

/// Why a sentence is not about a new event, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotEvent {
    /// A total over a period or several places.
    Aggregate,
    /// History or background.
    History,
    /// A threat or forecast.
    Forecast,
    /// Not about violence at all (a flood, an accident).
    Background,
}

/// Sports vocabulary (a match report's "attack" is no attack).
pub fn is_sports(folded: &str) -> bool {
    lexicon().sports.is_match(folded.as_bytes())
}

/// Natural disasters and accidents: deaths without violence.
pub fn is_disaster(folded: &str) -> bool {
    lexicon().disaster.is_match(folded.as_bytes())
}

pub fn not_event(folded: &str) -> Option<NotEvent> {
    if lexicon().period.is_match(folded.as_bytes()) {
        Some(NotEvent::Aggregate)
    } else {
        not_event_besides_period(folded)
    }
}

/// [`not_event`] when the sentence's period phrase makes no total ("since January, after a
/// series of raids"): history or a forecast, if the sentence is one.
pub fn not_event_besides_period(folded: &str) -> Option<NotEvent> {
    let l = lexicon();
    if l.history.is_match(folded.as_bytes()) {
        Some(NotEvent::History)
    } else if l.forecast.is_match(folded.as_bytes()) {
        Some(NotEvent::Forecast)
    } else {
        None
    }
}

/// The period phrase of an aggregate sentence, for `aggregates[].period`.
pub fn period(folded: &str) -> Option<String> {
    lexicon()
        .period_phrase
        .find(folded.as_bytes())
        .map(|m| String::from_utf8_lossy(m.as_bytes()).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn kinds(s: &str) -> Vec<Cue> {
        kind_cues(&fold(s)).into_iter().map(|c| c.kind).collect()
    }

    #[test]
    fn attack_is_not_always_an_attack() {
        assert!(kinds("He died of a heart attack in Bamako").is_empty());
        assert!(kinds("a cyber attack on the ministry").is_empty());
        assert!(kinds("the Super Eagles' attack was blunt in the match").is_empty());
        assert!(kinds("il a été victime d'une crise cardiaque").is_empty());
        assert_eq!(kinds("gunmen attacked the village"), vec![Cue::Attack]);
    }

    #[test]
    fn overruns_in_both_languages() {
        for s in [
            "militants seized an army base in Boulikessi",
            "the jihadists overran the military camp",
            "les assaillants se sont emparés du camp militaire",
            "JNIM fighters had managed to clear the camp",
        ] {
            assert!(kinds(s).contains(&Cue::Kind(Kind::BaseOverrun)), "{s}");
        }
    }

    #[test]
    fn a_town_under_siege_is_a_blockade_a_post_surrounded_in_an_attack_is_not() {
        for s in [
            "les jihadistes encerclent la ville de Djibo",
            "la ville de Djibo est encerclée par les jihadistes",
            "the town is under siege",
            // A lasting blockade's convoy attacked is its event.
            "jihadists attacked a fuel convoy bound for Djibo, under blockade since 2022",
        ] {
            assert!(kinds(s).contains(&Cue::Kind(Kind::Blockade)), "{s}");
        }
        for s in [
            "les assaillants ont encerclé le poste en fin d'après-midi",
            "des bandits ont encerclé le village avant d'enlever 20 personnes",
            // A lasting siege told as background is no event of the day.
            "gorom-gorom had been under a jihadist blockade for months",
            "djibo, sous blocus depuis des mois, a ete attaquee",
        ] {
            assert!(!kinds(s).contains(&Cue::Kind(Kind::Blockade)), "{s}");
        }
    }

    #[test]
    fn evidence_cues_and_negations() {
        let e = evidence(&fold(
            "official confirmation from local authorities is still pending",
        ));
        assert!(!e.official);
        let e = evidence(&fold("Le GSIM a revendiqué l'attaque"));
        assert!(e.claim);
        let e = evidence(&fold("No group has claimed responsibility"));
        assert!(!e.claim);
        let e = evidence(&fold("Unverified footage circulating on social media"));
        assert!(e.rumour);
        let e = evidence(&fold("selon des sources locales"));
        assert!(e.reported);
        let e = evidence(&fold("l'armée a démenti ces fausses informations"));
        assert!(e.denial);
    }

    #[test]
    fn wires_are_recognised() {
        assert_eq!(
            wire(&fold("BAMAKO (Reuters) - Gunmen killed")).as_deref(),
            Some("reuters")
        );
        assert_eq!(
            wire(&fold("Niamey (AFP) - Des hommes armés")).as_deref(),
            Some("afp")
        );
        assert_eq!(
            wire(&fold("a source told AFP on Monday")).as_deref(),
            Some("afp")
        );
        assert_eq!(wire(&fold("selon l'AFP")).as_deref(), Some("afp"));
        assert_eq!(wire(&fold("Local radio said")), None);
    }
}
