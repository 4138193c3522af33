"""Closed word lists the annotator's rules rely on (English).

Kept in one place so a reviewer sees every list that decides modality,
attribution, descriptors and arguments, and can extend them without reading
the rules.  Verbs are lemmas; nouns and adverbs lower case.  The file is
about 600 lines of data, one word a line, on purpose: splitting it would
scatter the lists the point of which is to be read together.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """A long word list written as running text."""
    return frozenset(text.split())


#: reporting verbs: "X said that Y did Z" -> Y did Z, reported, attributed to X
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "report",
        "announce",
        "state",
        "claim",
        "confirm",
        "add",
        "note",
        "declare",
        "explain",
        "write",
        "reiterate",
        "repeat",
        "stress",
        "emphasize",
        "emphasise",
        "assert",
        "maintain",
        "acknowledge",
        "admit",
        "reveal",
        "disclose",
        "indicate",
        "quote",
        "testify",
        "argue",
        "contend",
        "tweet",
        "post",
        "reply",
        "respond",
        "answer",
        "recall",
        "inform",
        "notify",
        "brief",
        "signal",
        "show",
    ]
)
#: uncertainty holders: "X speculated that Y might ..." -> speculative
SPECULATION_VERBS = frozenset(
    [
        "speculate",
        "suggest",
        "believe",
        "suspect",
        "think",
        "guess",
        "wonder",
        "assume",
        "estimate",
        "doubt",
        "fear",
        "predict",
        "expect",
        "hypothesize",
        "hypothesise",
        "allege",
        "rumor",
        "rumour",
        "imagine",
        "presume",
        "surmise",
        "reckon",
        "hint",
    ]
)
#: "X insisted that Y must ..." -> demanded, attributed to X (and X -> Y a demand)
DEMAND_VERBS = frozenset(
    [
        "demand",
        "insist",
        "urge",
        "order",
        "require",
        "press",
        "push",
        "command",
        "instruct",
        "ask",
        "call",
        "request",
        "direct",
        "pressure",
        "exhort",
        "implore",
        "beg",
        "plead",
        "appeal",
    ]
)
#: "X wants to / plans to / will ..." -> intended (the same actor's future act)
INTENTION_VERBS = frozenset(
    [
        "want",
        "plan",
        "intend",
        "aim",
        "seek",
        "hope",
        "wish",
        "prepare",
        "decide",
        "choose",
        "opt",
        "elect",
        "threaten",
        "vow",
        "promise",
        "pledge",
        "agree",
        "offer",
        "mean",
        "propose",
        "resolve",
        "undertake",
        "consider",
        "refuse",
        "decline",
        "fail",
    ]
)
#: intention verbs that are no act of their own: before an infinitive ("sought to talk",
#: "plans to visit") the act is the infinitive's, intended; "sought help" is a request
WISH_VERBS = INTENTION_VERBS & _words(
    "want plan intend aim seek hope wish prepare decide choose opt mean consider"
)
#: intention verbs that negate the act they govern ("refused to withdraw", "failed to
#: agree": no agreement; dbt reads a negated intention to cooperate as REJECT, as
#: PLOVER codes "failed to reach agreement")
NEGATING_INTENTION = frozenset(["refuse", "decline", "fail"])
#: adjectives that do the same: "were unable to reach agreement"
FAILURE_ADJECTIVES = frozenset(
    ["unable", "powerless", "unwilling", "reluctant", "hesitant", "loath", "loth"]
)
#: adjectives that make what they govern a guess: "is likely to deploy troops"
SPECULATIVE_ADJECTIVES = frozenset(
    # a timetable is no one's stated intention, it is expected as "is expected to" is:
    # "is due to travel", "is scheduled to visit"
    ["likely", "unlikely", "possible", "due", "scheduled", "schedule", "slated"]
)
#: "ruled out attacking": it will not happen; "did not rule out attacking": it may
EXCLUSION_VERBS = frozenset(["rule out", "exclude"])
#: a warning to these is advice to the public, not a threat of the warner's own act
#: ("officials warned people to stay away")
WARNING_VERBS = frozenset(["warn", "caution", "alert"])
#: verbs whose direct object is what is talked about, not who is talked with: "met to
#: discuss North Korea" is no consultation with North Korea ("discussed it with Iran" is)
TOPIC_OBJECT_VERBS = frozenset(["discuss", "debate"])
PUBLIC_NOUNS = _words(
    "people public residents citizens civilians nationals travellers travelers tourists "
    "visitors motorists drivers population inhabitants locals parents consumers users "
    "customers passengers pilgrims fans everyone anyone"
)
#: adjectives that govern intention: "ready to make contributions"
INTENTION_ADJECTIVES = frozenset(
    [
        "ready",
        "willing",
        "prepared",
        "eager",
        "determined",
        "keen",
        "set",
        "poised",
    ]
)
#: object-control verbs: "urged Iran to withdraw" -> Iran is the one to withdraw
OBJECT_CONTROL = frozenset(
    [
        "ask",
        "urge",
        "tell",
        "order",
        "force",
        "persuade",
        "allow",
        "invite",
        "encourage",
        "push",
        "press",
        "pressure",
        "convince",
        "compel",
        "oblige",
        "require",
        "get",
        "help",
        "enable",
        "warn",
        "advise",
        "instruct",
    ]
)
#: object-control verbs that direct their addressee to act: in "urged Iran to withdraw",
#: "called on Iran to withdraw", "pressured Iran into withdrawing" the withdrawal is
#: Iran's, and only wanted by the subject (demanded, not done).  Not "force",
#: "persuade", "allow", "help": what they govern happens.
DIRECTIVE_VERBS = frozenset(
    [
        "ask",
        "urge",
        "tell",
        "order",
        "invite",
        "encourage",
        "push",
        "press",
        "pressure",
        "call",
        "appeal",
        "plead",
        "beg",
        "implore",
        "exhort",
        "instruct",
        "command",
        "direct",
        "request",
        "require",
        "demand",
        "advise",
        "warn",
        "lobby",
        "petition",
        "challenge",
        "summon",
        "entreat",
    ]
)
#: prepositions that introduce a directive verb's addressee: "called on Iran to",
#: "appealed to Iran to", "pleaded with Iran to"
ADDRESSEE_PREPS: dict[str, frozenset[str]] = {
    "call": frozenset({"on", "upon"}),
    "appeal": frozenset({"to"}),
    "plead": frozenset({"with"}),
}

MODAL_FUTURE = frozenset({"will", "shall", "'ll", "wo"})
MODAL_HYPOTHETICAL = frozenset({"would", "'d"})
MODAL_SPECULATIVE = frozenset({"might", "may", "could"})
#: ability is no act ("can now bid"); "cannot accept" reads like "could not"
MODAL_ABILITY = frozenset({"can", "ca", "cannot"})
MODAL_DEMAND = frozenset({"must", "should", "ought"})
#: semi-modals of obligation: "need to release", "have to withdraw" ask for the act,
#: as "must" does; they do not report it
OBLIGATION_VERBS = frozenset({"need", "have"})

REPORTED_ADVERBS = frozenset(["reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"])
SPECULATIVE_ADVERBS = frozenset(
    [
        "possibly",
        "perhaps",
        "probably",
        "likely",
        "maybe",
        "apparently",
        "presumably",
        "conceivably",
        "seemingly",
    ]
)
#: negation of the verb itself ("did not attack", "never attacked"); word order adds
#: the determiner "no" ("no country has attacked")
#: "seldom criticized China" reports that it (mostly) did not happen, as "never" does
NEGATING_ADVERBS = frozenset({"not", "n't", "never", "seldom", "rarely", "hardly", "scarcely"})
CONDITIONAL_MARKERS = frozenset({"if", "unless", "whether", "lest"})
#: adverbs that put an act in the past: "had previously met" (not "once again")
BACKGROUND_ADVERBS = frozenset({"previously", "formerly", "once"})

#: verbs that are never event triggers on their own
SKIP_VERBS = frozenset(["be", "seem", "appear", "become", "remain", "have", "do", "get", "let"])

#: argument heads that stand for "some of the X": "Hundreds of ... fighters"
QUANTITY_HEADS = _words(
    "hundreds thousands dozens tens millions scores hundred thousand dozen million score "
    "number numbers group groups some many most few several all part members member "
    "majority minority rest handful bunch unit units contingent one two three four five "
    "six seven eight nine ten each both any none half"
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
PERSON_PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON"}

#: participles that make a sponsor out of a name: "Iran-backed", "Turkish-supported"
SPONSOR_PARTICIPLES = frozenset(
    [
        "backed",
        "supported",
        "sponsored",
        "funded",
        "financed",
        "armed",
        "trained",
        "aligned",
        "allied",
        "affiliated",
        "linked",
        "controlled",
        "equipped",
    ]
)
#: nouns a nationality adjective turns into a place: "Syrian soil", "Turkish territory"
PLACE_NOUNS = frozenset(
    [
        "soil",
        "territory",
        "territories",
        "land",
        "lands",
        "border",
        "borders",
        "side",
        "city",
        "cities",
        "capital",
        "town",
        "towns",
        "village",
        "villages",
        "coast",
        "coastline",
        "waters",
        "airspace",
        "province",
        "provinces",
        "region",
        "regions",
        "countryside",
        "mainland",
        "frontier",
        "north",
        "south",
        "east",
        "west",
        "heartland",
    ]
)
#: role words whose adjective use is no actor: "an official protest", "general strike"
ADJECTIVE_NOT_ACTOR = frozenset(
    str.split(
        "official general public political national international foreign civil popular "
        "regional local private federal royal senior military diplomatic economic"
    )
)
#: heads that make an actor only with a descriptor ("resistance groups from Iraq")
GENERIC_ACTOR_HEADS = frozenset(
    [
        "group",
        "groups",
        "movement",
        "movements",
        "faction",
        "factions",
        "coalition",
        "alliance",
        "organization",
        "organizations",
        "organisation",
        "organisations",
        "agency",
        "agencies",
        "unit",
        "units",
        "brigade",
        "brigades",
        "battalion",
        "battalions",
        "team",
        "teams",
        "side",
        "sides",
        "camp",
        "leaders",
        "leader",
        "representatives",
        "representative",
        "delegates",
        "authorities",
    ]
)
#: titles that may precede a name in capitals ("Foreign Minister Hakan Fidan")
TITLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "foreign",
        "defence",
        "defense",
        "interior",
        "finance",
        "deputy",
        "vice",
        "secretary",
        "general",
        "king",
        "queen",
        "prince",
        "crown",
        "sheikh",
        "emir",
        "sultan",
        "chancellor",
        "premier",
        "commander",
        "chief",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "envoy",
        "senator",
        "governor",
        "mayor",
        "leader",
        "chairman",
        "chairwoman",
        "speaker",
        "supreme",
        "ayatollah",
        "pope",
        "cardinal",
        "archbishop",
        "colonel",
        "lieutenant",
        "major",
        "captain",
        "admiral",
        "marshal",
        "state",
        "of",
        "the",
        "high",
        "representative",
        "special",
        "director",
        "head",
    ]
)

#: prepositions whose object is the event's place ("in Damascus") rather than its target
LOCATIVE_PREPS = frozenset(
    [
        "in",
        "at",
        "near",
        "inside",
        "outside",
        "across",
        "around",
        "throughout",
        "within",
        "along",
        "beside",
        "behind",
    ]
)
#: prepositions whose actor object is a target ("meet with Assad", "cross into Syria")
TARGET_PREPS = (
    "with",
    "against",
    "to",
    "into",
    "on",
    "upon",
    "onto",
    "toward",
    "towards",
    "at",
    "for",
    "over",
    "from",
    "of",
    "between",
    "among",
)
#: destinations: the object is both the target and the place ("into Syria")
DESTINATION_PREPS = frozenset({"into", "to", "toward", "towards", "onto"})

#: attempt verbs: "tried to storm the building" -> the storming happened (asserted);
#: the attempt verb is no event of its own and passes its own modality down
#: what they govern happened as they did ("tried to storm", "managed to reach")
ATTEMPT_VERBS = frozenset(["try", "attempt", "endeavour", "endeavor", "strive", "manage"])
#: verbs whose "from ..." complement did not happen: "refrained from attacking"
REFRAIN_VERBS = frozenset(["refrain", "abstain", "desist"])
#: what someone was kept from did not happen: "police prevented them from marching"
PREVENT_VERBS = frozenset(["prevent", "stop", "bar", "block", "ban", "prohibit", "deter", "keep"])

#: symmetric predicates: "Russia and Iran met" is Russia <-> Iran; with coordinated
#: subjects and no other target the subjects act on each other
RECIPROCAL_VERBS = frozenset(
    [
        "meet",
        "talk",
        "negotiate",
        "confer",
        "converse",
        "correspond",
        "communicate",
        "agree",
        "disagree",
        "clash",
        "fight",
        "battle",
        "skirmish",
        "spar",
        "feud",
        "quarrel",
        "wrangle",
        "bicker",
        "cooperate",
        "collaborate",
        "coordinate",
        "partner",
        "ally",
        "reconcile",
        "reunite",
        "unite",
        "merge",
        "trade",
        "exchange",
        "swap",
        "compete",
    ]
)
#: objects that make a predicate symmetric: "signed a deal", "held talks", "restored ties",
#: "exchanged fire", "traded accusations"
RECIPROCAL_NOUNS = frozenset(
    str.split(
        "talk talks meeting meetings negotiation negotiations consultation consultations "
        "discussion discussions dialogue summit deal deals agreement agreements accord accords "
        "pact pacts treaty treaties truce ceasefire memorandum ties relations contacts "
        "cooperation partnership alliance handshake prisoners fire blows accusations insults "
        "barbs views war"
    )
)
#: verbs that make such an object together ("signed a deal", "held talks", "cut ties"),
#: unlike verbs of an attitude to it ("welcomed the deal", "condemned the war")
RECIPROCAL_SUPPORT_VERBS = frozenset(
    str.split(
        "sign conclude ink seal forge reach strike hammer agree negotiate hold open resume "
        "renew restore establish normalize normalise upgrade sever cut break end suspend freeze "
        "exchange trade swap fight wage enter start begin launch conduct make have"
    )
)
#: objects that name the partner itself: "accused each other", "met with one another"
RECIPROCAL_PRONOUNS = frozenset(["each other", "one another"])

#: light verbs: the event is their object noun ("staged a protest", "launched an attack",
#: "held talks", "carried out strikes", "issued a warning"); the predicate keeps the noun
LIGHT_VERBS = frozenset(
    [
        "stage",
        "launch",
        "hold",
        "carry",
        "conduct",
        "mount",
        "wage",
        "issue",
        "lodge",
        "file",
        "begin",
        "start",
        "organize",
        "organise",
        "unleash",
        "level",
        "make",
        "undertake",
        "perform",
        "step",
        "resume",
        "continue",
        "intensify",
        "escalate",
        "announce",
        "declare",
        "impose",
        "sign",
        "reach",
        "pay",
        "deliver",
        "give",
        "take",
    ]
)
#: verbs that talk about an event instead of taking part in it: their event-noun object
#: is no event of theirs ("described Trump's call with Zelensky", "recalled the visit",
#: "discussed the summit"); verbs that express or renew the act do take part ("showed
#: support", "reiterated its demand", "announced sanctions")
ABOUT_EVENT_VERBS = TOPIC_OBJECT_VERBS | _words(
    "describe mention recount recall report cite characterize characterise detail portray"
)
#: words that make "of" locative: "west of El Fasher", "the outskirts of Khartoum"
DIRECTION_WORDS = frozenset(
    str.split(
        "north south east west northeast northwest southeast southwest northeastern "
        "northwestern southeastern southwestern northern southern eastern western outskirts "
        "suburbs suburb edge centre center heart outside kilometres kilometers km miles mile "
        "vicinity environs"
    )
)
#: credit and boilerplate lines of wire copy: no actor and no event in them
CREDIT_LINE_START = (
    "reporting by",
    "additional reporting by",
    "writing by",
    "editing by",
    "edited by",
    "compiled by",
    "research by",
    "our standards:",
)
