"""The words the rules know: reporting verbs (cues), and the nouns that make a speaker a party.

All entries are lower case; the rules compare lower-cased tokens.
"""


def words(*texts: str) -> frozenset[str]:
    return frozenset(word for text in texts for word in text.split())


# Reporting verbs whose content is the clause that follows: "X said (that) P".
CLAUSE_CUES = words(
    "say says said",
    "tell tells told",
    "states stated",
    "add adds added",
    "claims claimed",
    "insist insists insisted",
    "announce announces announced",
    "confirm confirms confirmed",
    "reports reported",
    "write writes wrote",
    "argue argues argued",
    "notes noted",
    "stress stresses stressed",
    "maintain maintains maintained",
    "allege alleges alleged",
    "estimates estimated",
    "acknowledge acknowledges acknowledged",
    "admit admits admitted",
    "suggest suggests suggested",
    "explain explains explained",
    "declare declares declared",
    "assert asserts asserted",
    "reiterate reiterates reiterated",
    "countered",
    "replied",
    "warn warns warned",
    "predict predicts predicted",
)
# Reporting verbs whose content is their object: "X accused Y of Z" gives "Y of Z".
OBJECT_CUES = words(
    "accuse accuses accused",
    "blame blames blamed",
    "urge urges urged",
    "ask asks asked",
    "deny denies denied",
    "reject rejects rejected",
    "refute refutes refuted",
    "dismiss dismisses dismissed",
    "condemn condemns condemned",
    "disputes disputed",
    "cite cites cited",
    "describe describes described",
    "calls called",
)
OBJECT_LEMMAS = words(
    "accuse blame urge ask deny reject refute dismiss condemn dispute describe call cite"
)
# Cues that report only with a "that" clause or a quotation: "declared a day of mourning" is an
# act, "declared that P" a statement.
THAT_CUES = words(
    "declare declares declared admit admits admitted acknowledge acknowledges acknowledged",
    "predict predicts predicted reiterate reiterates reiterated maintain maintains maintained",
    "explain explains explained stress stresses stressed notes noted countered replied",
    "announce announces announced",
)
# A participle after a comma continues the sentence's speaker: "..., adding that P".
PARTICIPLE_CUES = words(
    "saying adding claiming insisting warning arguing stressing noting accusing urging",
    "describing calling blaming denying rejecting suggesting",
)
CUES = CLAUSE_CUES | OBJECT_CUES | PARTICIPLE_CUES

LEMMAS = {
    "said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write",
    "denied": "deny", "denies": "deny", "denying": "deny", "replied": "reply",
    "replies": "reply",
}  # fmt: skip

REFUTING_CUES = frozenset({"deny", "reject", "refute", "dismiss"})
DISPUTING_CUES = frozenset({"dispute"})
# Words by which a description casts doubt on what it describes ("called it one-sided").
DOUBTING_WORDS = frozenset(
    {
        "one-sided", "biased", "groundless", "unfounded", "baseless", "fabricated", "false",
        "lie", "lies", "fairy", "provocation", "propaganda", "fiction", "absurd", "wrong",
    }
)  # fmt: skip

# Speaking bodies: a mention headed by one of these names a party.
BODY_NOUNS = words(
    """
    ministry government army military forces force navy guard agency office commission
    council committee mission authority operator company group organisation organization
    union party alliance bloc brigade front movement staff command service embassy
    consulate presidency parliament court police patrol centre center association
    chamber federation programme program fund secretariat cabinet junta administration
    regime delegation kremlin treasury watch owner department directorate inspectorate
    observers fleet flotilla battalion regiment division unit headquarters
    """
)
# People who speak for a party; "a spokesman" speaks for one by definition.
ROLE_NOUNS = words(
    """
    spokesman spokeswoman spokesperson minister president premier chairman chairwoman
    chair director chief head leader commander envoy coordinator representative
    secretary secretary-general ambassador negotiator ombudswoman ombudsman executive
    manager analyst general colonel major captain admiral lieutenant governor mayor
    inspector prosecutor official monitor
    """
)
# Roles that speak for an office of their own: "the president said".
OFFICE_ROLES = words(
    """
    president premier minister governor mayor secretary-general ombudsman ombudswoman
    commander
    """
)
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})
# People and groups that are not parties unless a party is named with them ("Kostrel
# officials"), and never when they stand alone ("residents", "a doctor").
PLURAL_GROUPS = words(
    """
    officials authorities sources diplomats analysts residents witnesses experts
    relatives groups agencies companies doctors nurses engineers activists observers
    villagers elders brokers insurers staff people members
    """
)
TITLES = words(
    """
    president prime minister foreign defence defense interior deputy general colonel
    major lieutenant captain admiral commander chief dr. mr. mrs. ms. gen. col. lt. maj.
    capt. secretary ambassador governor mayor spokesman spokeswoman spokesperson
    chairman chairwoman director envoy sergeant brigadier marshal senator king queen
    sheikh emir executive chair head leader ombudswoman ombudsman inspector coordinator
    representative
    """
)
# Words that stand inside a name or a description of a party: "the Norvand Cyber Security
# Centre", "Tavria's Agriculture Minister", "separatist forces in the eastern Lyra region".
MODIFIERS = words(
    """
    national foreign interior defence defense health energy environment water fisheries
    justice finance economy economic security intelligence emergency situations state
    federal regional human rights nuclear cyber maritime naval air armed military civil
    general central election electoral border coast press news public supreme
    constitutional opposition ruling main separatist rebel rebels self-declared de facto
    humanitarian policy affairs relations refugee grid gas oil mining shipping aid
    medical junior senior deputy acting former chief top country international world
    united european local city district provincial municipal republican people's peoples
    agriculture transport culture education labour labor industry communications
    information digital environmental eastern western northern southern central ship's
    plant's mine's grid's foreign-policy emergency-situations prime commission's
    mission's ministry's centre's group's agency's army's union's company's government's
    office's party's council's committee's city's country's its his her their our whose
    """
)
# Plural possessives that stand for a party: "the rebels' leader".
PARTY_PLURALS = words("rebels separatists insurgents militants authorities")
PLACE_NOUNS = words(
    """
    region capital city province district town country area valley village island state
    """
)
DETERMINERS = words("the a an its his her their our this that these those one")
POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their"})
PRONOUNS = {"it": "thing", "he": "person", "she": "person", "they": "any"}
CONNECTORS = frozenset({"of", "for", "in", "at", "on", "near", "from", "outside", "to"})
AUXILIARIES = words(
    """
    has have had was were is are be been being would will could should may might also
    later earlier again repeatedly separately previously initially first now then still
    already both all each itself himself herself themselves further publicly privately
    reportedly
    """
)
TIME_WORDS = words(
    """
    monday tuesday wednesday thursday friday saturday sunday week month year weekend
    morning evening afternoon night day today tonight yesterday midnight dawn january
    february march april may june july august september october november december
    """
)
# Heads of source nouns that stand for their author: "UN figures", "a ministry statement".
SOURCE_NOUNS = words(
    """
    statement statements report figures estimates data communique letter post
    """
)
# Capitalised words that begin a sentence without naming anything.
SENTENCE_OPENERS = words(
    """
    in on at after before meanwhile later earlier but and however while when as since
    despite although though during under with without for from by separately also asked
    speaking according yet still then so if the a an this that these those both
    """
)
# Recipients of "told" that are not part of the content: "told reporters in Pesh that P".
RECIPIENTS = words(
    """
    reporters journalists parliament lawmakers legislators television tv radio
    conference briefing station agency reuters afp ap news media website newspaper paper
    channel audience crowd supporters nation broadcaster outlet interviewer
    """
)
