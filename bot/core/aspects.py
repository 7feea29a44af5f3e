"""What a message asks *about* a topic, as opposed to which topic it names.

The matcher decides which entry a message is about. That is not the same as the message asking
what the entry's answer says: the answers are the presenter's views (implications, impact,
risks, where else, easier or harder), so "what is MCP", "which cloud does Niantic run Pokémon GO
on" or "how do I turn on Lightspeed" name an entry's subject but ask for a definition, a fact or
instructions the answer does not hold. Answering them in the channel posts a wrong answer for
everyone to read; offering the entry privately ("did you mean") costs the asker one click when
the entry was what they wanted after all.

The patterns are English question forms, not content: a different webinar keeps them. Each is
a shape of question, told apart by grammar rather than by topic words:

* a **definition**: the whole message is "what is <a name>" ("what's a temporal knowledge
  graph exactly", "what does MCP stand for"), or one sentence of several is ("what even is
  MCP? model context protocol explained pls"). No answer defines its terms, so a definition is
  never answered in public. A noun phrase that evaluates ("what are the risks", "what's the big
  deal") asks for a view, not a definition, and is not one. What a maker is, asked of its name
  alone ("what does Tailscale do", "who is Scopely": `maker_asked`), is held back as a
  definition is.
* a **specific fact**: an object question with do-support ("which cloud *does* Niantic run
  on", "what database does Chronosphere use": the asker wants a property of a third party), a
  count ("how many", "how much"), a time ("when is…"), or a request for precision ("exactly",
  "the actual change", "details"). An answer holds such a fact only if it says every word of
  the question (`Matcher.unexplained`), so anything it leaves unexplained holds the answer back.
  A time, a maker, a name, which organisations, availability, advice, where to read more, a
  mechanism or a fault's cause is not held even then (`asks_unheld_fact`): across the tuning
  sets no message asked that way was ever an entry's question.
* a **name**: "which library did OpenAI patch", "what LLM does SUSE ship with", "which library
  was involved": an entry that speaks of libraries or LLMs in general names none, so the whole
  question must be said (the nouns are NAMING, general English).
* what a product is **made of**, asked as such ("is Chronosphere built on top of Prometheus",
  "what database is X built on"): an implementation fact, which must be said as for a specific
  fact.
* a **number** ("how many", "what percent of"): only an entry that states a figure can give
  one, however much of the question it says (`Responder.states_a_number`).
* a **choice** between two things ("cosign vs notation", "terraform or pulumi for GKE"): an
  entry that names neither of them cannot say which; one it names at least one of
  ("easier or harder", "earthquakes or floods") discusses the choice.
* a **fault report** about the asker's own system ("my app keeps crashing after the update",
  "pod stuck in CrashLoopBackOff", "our agent is eating all our CPU, how do we fix it"): it
  asks for troubleshooting, which no answer gives, even
  when it names a product an answer speaks of; as for a specific fact, every word must be said.
* a **yes/no question asked of a named party** ("did OpenAI publish the fix?", "does NKP
  replace Karbon?", "is Red Hat hiring?", "does SUSE AI need GPUs?"): a fact about a third
  party's product or event, not the presenter's view, which a yes/no question asks with an
  effect or an assessment ("does Tailscale's operator *make* clusters less painful", "is AI
  conformance *worth* it": `VIEW_WORDS`) or of no named party ("is kubernetes getting
  easier"). Every word asked of the party must be said; what it needs, has or owns never is
  (`yes_no_clauses`; the names are the content's, as written, so `Responder.asks_of_a_party`
  decides).
* **instructions** for the asker's own setup ("how do I…", "how can I…", "how to…"): as for
  a specific fact, every word must be in the entry. ("How do we fix the gaps" is a question to
  the presenter, not a request for steps: it keeps the older, milder how-to rule in the
  responder, as "the gaps and how to address them" does, asked of what the message named; a
  "how to" a verb reports, "an AI that tells you how to fix your cluster", asks nothing. Steps
  asked in the first person singular, "how do I…", are never answered: `asks_for_own_steps`.)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache

from bot.core.text import is_stopword, words


class _Cued:
    """A regular expression tried only on a message that has its cue words.

    Every match of `pattern` contains, as a whole word, one of the words `cues` (a literal word
    its alternatives spell out between word boundaries or spaces) or one of the substrings
    `parts` (a word that may go on: "crash…"), and one of the words `also` if given. A message
    without them cannot match, and telling so is a set test in C, where the scan costs 1-5 µs:
    these patterns open with `\b`, which keeps `re` from skipping ahead to a literal prefix,
    so it tries every position of the message. The words are the message's as `words` gives
    them, joined by spaces, as every caller passes them (a `\b` word is then one of them).
    Most messages lack most cues: the 14 forms of `_unheld_form` alone cost ~25 µs a message
    before (bench/respond_instructions.py). The cues are read off the pattern beside it.
    """

    __slots__ = ("also", "cues", "parts", "pattern")

    def __init__(
        self, pattern: re.Pattern[str], cues: str, also: str = "", parts: tuple[str, ...] = ()
    ) -> None:
        self.pattern = pattern
        self.cues = frozenset(cues.split())
        self.also = frozenset(also.split())  # a second set, when every match has both
        self.parts = parts

    def cued(self, text: str, said: Collection[str]) -> bool:
        """`text` (its words `said`) has the cues: the pattern may match."""
        if self.cues.isdisjoint(said) and not (self.parts and any(p in text for p in self.parts)):
            return False
        return not (self.also and self.also.isdisjoint(said))

    def search(self, text: str, said: Collection[str]) -> re.Match[str] | None:
        return self.pattern.search(text) if self.cued(text, said) else None

    def search_words(self, raw_words: Sequence[str]) -> re.Match[str] | None:
        """`search` of a message given as its words, joined only when their cues are there:
        most messages lack them, and the join was the cost of asking."""
        if not self.parts and self.cues.isdisjoint(raw_words):
            return None
        return self.search(" ".join(raw_words), raw_words)

    def match(self, text: str, said: Collection[str]) -> re.Match[str] | None:
        return self.pattern.match(text) if self.cued(text, said) else None


# Nouns that ask for a view or an assessment, which is what the answers give: "what are the
# risks", "what impact does X have", "what's the lesson"; and nouns of events whose meaning is
# asked ("what does the OpenAI fix mean" asks its significance, not a definition); "what other
# areas" asks where else, as an answer's view does. General English, not content words.
_EVALUATIVE = """
    impact impacts effect effects role difference lesson lessons takeaway implication
    implications risk risks benefit benefits advantage advantages downside downsides problem
    problems challenge challenges significance value gap gaps trend trends future outlook
    verdict opinion opinions view views take angle deal catch moral upshot point importance
    reason reasons purpose goal goals idea ideas message meaning consequence consequences
    tradeoff tradeoffs pros cons gist recommendation recommendations prediction predictions
    alternative alternatives argument arguments reasoning rationale logic conclusion conclusions
    advice solution solutions summary thinking stance position insight insights forecast
    expectation expectations hype worth
    example examples shift change changes move announcement announcements news fix case
    result results finding findings area areas heading headed
    prove proves proved proven demonstrate demonstrates demonstrated teach teaches taught
    illustrate illustrates illustrated
    """
EVALUATIVE = frozenset(_EVALUATIVE.split())

# Nouns whose answer is a name ("which *library* did OpenAI patch", "what *LLM* does SUSE ship
# with", "which logging *agent* was OpenAI using"): an entry that speaks of libraries, LLMs or
# agents in general names none, so such a question is answered only by an entry that says all
# of it. General English; not "tools" or "operators", which the answers discuss as kinds (and
# "operators" are people here).
_NAMING = """
    library libraries llm llms model models database databases language languages framework
    frameworks version versions vendor vendors provider providers engine engines product
    products distro distros distribution distributions chip chips hardware region regions
    protocol protocols algorithm algorithms api apis sdk sdks plugin plugins package packages
    dependency dependencies registry registries agent agents
    shipper shippers annotation annotations event events
    """
NAMING = frozenset(_NAMING.split())
_NAMING_ALTERNATION = "|".join(sorted(NAMING, key=len, reverse=True))  # the longest first

_LEAD_WORDS = ("so", "and", "but", "ok", "okay", "hey", "hi", "quick", "q", "question", "honest")
_LEAD_WORDS += ("sorry",)
_LEAD = r"^(?:(?:" + "|".join(_LEAD_WORDS) + r")\s+)*"
_ARTICLE = r"(?:(?:a|an|the|this|that|these|those)\s+)?"
# "what is X", "what's X", "what are X" as the whole message, X a short noun phrase
# ("what even is MCP", "what's a temporal knowledge graph in general", "… technically")
_WHAT_IS = re.compile(
    _LEAD + r"(?:what\s+(?:(?:even|exactly|actually|really)\s+)?(?:is|s|are|re|was)"
    # "whats" is "what is" already, written without its apostrophe ("whats a knowledge graph")
    r"|whats(?:\s+(?:even|exactly|actually|really))?(?:\s+(?:is|are))?)\s+"
    + _ARTICLE
    + r"(?P<np>(?:\w+\s+){0,4}?\w+)"
    r"(?:\s+(?:exactly|again|anyway|even|actually|precisely|then|technically|in\s+general"
    r"|in\s+short|in\s+simple\s+terms|in\s+plain\s+english))*$"
)
# "what does X mean", "what does X stand for", "define X", "X meaning", "meaning of X"
_MEANS = re.compile(
    _LEAD + r"(?:what\s+(?:does|do|did)\s+" + _ARTICLE + r"(?P<np>(?:\w+\s+){0,4}?\w+)\s+"
    r"(?:mean|means|stand\s+for)(?:\s+exactly)?$"
    r"|define\s+" + _ARTICLE + r"(?P<np2>(?:\w+\s+){0,4}\w+)$"
    r"|meaning\s+of\s+" + _ARTICLE + r"(?P<np3>(?:\w+\s+){0,4}\w+)$"
    r"|(?:explain|eli5)\s+" + _ARTICLE + r"(?P<np4>(?:\w+\s+){0,4}\w+)$)"
)
# asked politely at the end: "define fault injection pls"
_PLEASE_WORDS = frozenset({"pls", "plz", "please", "thx", "thanks", "ty"})
_PLEASE = re.compile(r"\s+(?:" + "|".join(_PLEASE_WORDS) + r")$")
# where the term was met, after a definition question: "what does MCP stand for in the SUSE
# answer", "what is X in this context", "… here": still a definition
_WHERE_SAID = re.compile(
    r"\s+(?:in|from)\s+(?:the|this|that|presenter|his)\s+(?:\w+\s+){0,3}?"
    r"(?:answer|answers|talk|webinar|context|article|session|slide|slides|part|section)$"
    r"|\s+(?:here|there)$"
)
# the words `_WHERE_SAID` ends with: a message ending otherwise is not searched (at every
# position, as the pattern opens with a space) for a place it cannot end at
_WHERE_SAID_LAST = frozenset(
    {"answer", "answers", "talk", "webinar", "context", "article", "session", "slide", "slides"}
    | {"part", "section", "here", "there"}
)
# what the talk reported makers doing ("which vendors *showed*…"): what the answers say
_REPORTED = (
    r"showed|announced|presented|demoed|demonstrated|launched|unveiled|highlighted|featured|"
    r"showcased|introduced"
)
# "which/what <noun> is/was/were …": with a naming noun, it asks for a name as the do-form does;
# so does a naming noun as the subject of a verb in the present or past ("which LLM *powers*
# the portal", "which library *caused* the issue", "what model *runs* behind Lightspeed"), but
# not as a noun of a compound asked of with do-support (`_DO_OBJECT` decides that one)
_NAMED_BE = _Cued(
    re.compile(
        r"\b(?:which|what)\s+(?P<noun>(?:\w+\s+){1,3}?)(?:is|are|was|were)\b"
        r"|\b(?:which|what)\s+(?P<subject>(?:\w+\s+){0,2}?(?:"
        + _NAMING_ALTERNATION
        + r"))\s+(?!(?:is|was|has|does|s|"
        + _REPORTED
        + r")\b)\w+(?:s|ed)\b"
        # a compound noun before its verb is no naming subject: "what language *models mean*"
        r"(?!\s+(?:mean|need|do|have|change|matter|work|look|offer|give|make|bring|cost|are|were|"
        r"can|could|will|would|should|might|must)\b)"
        # a compound noun asked with do-support ("which vendor *tools* … did the talk call out")
        r"(?!(?:\s+\w+){0,10}?\s+(?:does|did|do)\b)"
        # the one that has the most of something: "which logging library has the lowest
        # overhead", "what distro offers the best GPU support"
        r"|\b(?:which|what)\s+(?P<most>(?:\w+\s+){0,2}?(?:" + _NAMING_ALTERNATION + r"))\s+"
        r"(?:(?:has|have|had|offers?|gives?|provides?)\s+(?:the\s+)?"
        r"(?:most|least|best|worst|\w+est)"
        # and what a product comes with, the plural's verb without its s: "which LLMs *ship
        # with* SUSE's platform", "what models come in the box"
        r"|(?:ship|ships|shipped|come|comes|came|run|runs|ran)\s+(?:with|in|inside|on))\b"
    ),
    " ".join(("is are was were", *NAMING)),
    also="which what",
)
# a naming noun asked alone, ending the message: "what was the one-line fix? which library?"
_NAMED_ALONE = re.compile(r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:" + _NAMING_ALTERNATION + r")$")
# an object question with do-support: "which cloud does niantic run on", "what gpus did suse
# pick"; its subject is a third party, not the presenter ("which tools did the talk call out"
# asks what the webinar said, which is what the answers are). What comes between is a noun
# phrase: "what's left to do after…" and "it tells you what to do" have an infinitive, "what else
# did the OpenAI fix show" no noun at all, and none of them asks for a fact. "They" is the
# subject the talk's own speakers are asked of ("which problems did they see"), except with
# "use": what a party used ("which profiling tools did they use") is its property, a fact
_DO_OBJECT = _Cued(
    re.compile(
        r"\b(?:which|what)\s+(?P<noun>(?:(?!(?:to|else)\b)\w+\s+){1,3}?)(?:does|did|do)\s+"
        r"(?!(?:not|n|t|you|presenter|he|she|they(?!\s+(?:use|used)\b)|we|i|the\s+(?:talk|webinar|"
        r"presenter|speaker|session|panel|article))\b)\w"
    ),
    "does did do",
    also="which what",
)
# a count or a measure: "how many", "how much", "how big", "how long did it take", and a
# frequency ("how often does CNCF audit": an entry saying audits became more frequent gives no
# rate; the measure itself is no word the entry must say, see `without_measures`)
_COUNT = _Cued(
    re.compile(
        r"\bhow\s+(?:many|much|big|large|long|fast|far|old|soon|often|frequently)\b"
        r"|\bwhat\s+(?:percent|percentage|share|number|size)\s+of\b"
    ),
    "many much big large long fast far old soon often frequently percent percentage share"
    " number size",
    also="how what",
)
# a number asked for: "how many players", "what percent of projects". Unlike a measure ("how
# much does it matter", "how long-term"), only a number answers it; so does a statistic asked
# for ("what's the average latency Niantic gets", "what was the median time to fix")
_NUMBER = _Cued(
    re.compile(
        r"\bhow\s+many\b|\bwhat\s+(?:percent|percentage|number)\s+of\b"
        # a size: "how big is Niantic's cluster" ("how big a deal is it" asks a degree)
        r"|\bhow\s+(?:big|large|huge)\s+(?:is|are|was|were|s)\b"
        r"|\bwhat\s+(?:is|s|was|are|were)\s+(?:the\s+|their\s+|its\s+)?"
        # a party's figure: "what's the tailscale operator's max throughput"
        r"(?:(?:\w+\s+){1,3}?s\s+)?"
        r"(?:average|median|typical|mean|p50|p90|p95|p99|max|maximum|peak)\s+\w"
        # a count named as one: "pokemon go k8s cluster count", "what's their node count"
        r"|\b(?!(?:does|do|did|it|that|this|which|what|to|not|i|we|you|they)\s)\w+\s+count\b"
        r"(?!\s+(?:on|as|for|towards|in|me|us)\b)"
    ),
    "many percent percentage number average median typical mean p50 p90 p95 p99 max maximum peak"
    " count big large huge",
    also="how what count",
)
# what "how many" counts: the words after it, up to the verb ("how many *engineers* does
# OpenAI have", "how many *CPU cores* did the fix save")
_COUNTED = re.compile(
    r"\bhow\s+many\s+(?P<noun>(?:\w+\s+){0,2}?\w+)\s+(?:does|do|did|is|are|was|were|has|have|"
    r"had|can|could|will|would|should|got|get|in|at|on|per)\b"
)


def counted(raw_words: Sequence[str]) -> list[str]:
    """The words "how many" counts (`_COUNTED`), filler left out; none when it asks no count."""
    if "many" not in raw_words:
        return []
    m = _COUNTED.search(" ".join(raw_words))
    return [] if m is None else [w for w in m["noun"].split() if not is_stopword(w)]


# whether a product supports, runs on, works with or is available for something: availability
# and compatibility, which the answers never list. The product may take six words to name
# ("does Google's AI management portal work on GKE Standard"). "Support" asks this only asked
# of something ("does NKP support ARM", "which LLMs does SUSE AI support", "support for
# IPv6"): "Kubernetes's ability to support low-latency workloads", "tech that supports
# humanitarian causes" or "refugee support" say what the answers discuss
_CAPABILITY = _Cued(
    re.compile(
        r"\b(?:supported|available|availability|compatible)\b"
        # whether it is open source; not "open source" naming a kind of thing ("IBM's open
        # source arm", "open source projects"): a word after it that no connective is
        r"|\bopen\s*sourced?\b(?!\s+(?!(?:and|or|yet|too|now|at|for|in|by|so|but|under|"
        r"with|like|right|today|anymore|still|though|license|licence)\b)\w)"
        # …and the verb, which takes its object after it: "will red hat open source lightspeed"
        r"|\b(?:to|will|would|ever|gonna|did|they|it)\s+open\s*source\b"
        r"|\b(?:does|do|did|will|would|can|could|is|are)\s+(?:\w+\s+){0,5}?supports?\b"
        r"|\bsupports?\s+for\b"
        r"|\b(?:can|does|do|will|would|could)\s+(?:\w+\s+){1,6}?(?:run|work)\s+(?:on|with|offline)\b"
        r"|\bfree\s+(?:tier|plan|version|edition|for|to)\b"
        # what a product covers; not what the talk or its speaker covered ("did the webinar
        # cover where else it can help"), which is what an answer is
        r"|\b(?:does|do|did|will|is|are)\s+"
        r"(?!(?:the\s+|this\s+|that\s+|your\s+)?(?:webinar|talk|session|presentation|speaker|"
        r"presenter|he|she|they)\b)"
        r"(?:\w+\s+){1,5}?(?:cover|covers|include|includes|included)\b"
        r"|\b(?:does|do|did|will)\s+(?:\w+\s+){1,5}?(?:come|ship)\s+with\b"
        r"|\b(?:can|could)\s+i\s+use\s+(?:\w+\s+){1,4}?(?:with|alongside)\b|\bout\s+yet\b"
        # a feature asked of it as shipped: "does devtron do multi-cluster gitops out of the box"
        r"|\b(?:does|do|did|will|can|could|is|are)\s+(?:\w+\s+){1,8}?out\s+of\s+the\s+box\b"
        # using or running one thing on another, asked yes or no: "can i use openshift on gke",
        # "can i play pokemon go on my k8s cluster" ("how can we run games on k8s like
        # niantic" asks the presenter's how, which an answer explains)
        r"|(?<!how\s)\b(?:can|could)\s+(?:i|we|you)\s+(?:use|run|play|host|deploy|install)\s+"
        r"(?:\w+\s+){1,4}?on\b"
        # whether a service is down: "is pokemon go down?", "is chronosphere down for anyone"
        r"|\b(?:is|are)\s+(?:\w+\s+){1,3}?(?:down|offline)(?:\s+(?:again|now|today|"
        r"right\s+now|for\s+(?:anyone|everyone|you)))*$"
    ),
    "supported available availability compatible open opensource opensourced support"
    " supports run work free cover covers include includes included come ship use yet play"
    " host deploy install down offline box",
)
# whether a product has passed a standard, asked of it: "is EKS AI conformant?", "is SUSE AI
# certified for HIPAA". Not "the certified-for-AI badge" (a noun phrase, after an article) nor
# "whether a distribution is AI conformant" (asked inside another question, not of a product),
# nor "is being conformant important" (no product at all)
_CERTIFIED = _Cued(
    re.compile(
        _LEAD + r"(?:is|are)\s+(?!(?:being|getting|becoming|staying)\b)(?:\w+\s+){1,4}?"
        r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?:certified|conformant|compliant)\b"
    ),
    "certified conformant compliant",
    also="is are",
)
# advice for the asker's own choice, or a comparison the answers do not make: "should we pick
# X or Y", "which one should I use", "X better than Y", "the difference between X and Y"
_ADVICE = _Cued(
    re.compile(
        r"\bshould\s+(?:i|we)\s+(?:pick|choose|use|go\s+with|buy|switch|migrate|move)\b"
        r"|\bwhich\s+(?:\w+\s+)?should\s+(?:i|we)\b|\brecommend\b|\bbetter\s+than\b"
        r"|\bdifferen(?:ce|ces)\s+between\b|\bcompared?\s+(?:to|with)\b|\bthe\s+same\s+as\b"
        r"|\b(?:what|whats)\s+(?:is|s|are|re)\s+the\s+best\b"
        r"|\bwhich\s+(?:one\s+)?(?:is|s|would\s+be|will\s+be)\s+(?:better|best)\b"
        # the best thing for a purpose ("best way to manage secrets", "best SBOM tool for java",
        # "best observability dashboard for redis"); not an assessment ("the best fit for banks",
        # "who is the approach best for", "which industries are best suited to it")
        r"|\bbest\s+(?!(?:fit|bet|suited|placed|positioned|equipped)\b)(?:\w+\s+){1,3}?(?:for|to)\b"
        # a sound choice asked for: "what's a sane on-call rotation for a 5 person team", "what's
        # a good SLO for inference latency"; not an assessment ("what's a good fit for it", "a
        # reasonable takeaway") nor a way to an end the answers may discuss ("a good way to…")
        r"|\b(?:what|whats)\s+(?:(?:is|s)\s+)?(?:a|an)\s+(?:good|sane|reasonable|decent|sensible|"
        r"solid)\s+(?!(?:fit|bet|way|" + "|".join(sorted(EVALUATIVE)) + r")\b)"
        # advice on the asker's own career, said as such: "should I learn GPU scheduling or go
        # deeper into platform engineering for my career?", "should I become an SRE?" (a choice
        # between two things an entry speaks of, "should I learn X or Y", asks its view: answered)
        r"|\b(?:for|in|with)\s+my\s+career\b|\bshould\s+i\s+(?:become|retrain|switch\s+careers?)\b"
        # and the asker's job hunt: "is the CKA worth it for landing a platform job?"
        r"|\b(?:land|landing|get|getting|find|finding)\s+(?:a|my\s+first|the)\s+(?:\w+\s+){0,2}?"
        r"(?:job|role|position)\b|\bjob\s+(?:hunt|hunting|search|market|interviews?)\b"
        # a choice for the asker's own organisation: "should my company adopt kubernetes?"
        r"|\bshould\s+(?:my|our)\s+(?:\w+\s+)?(?:company|team|org|organi[sz]ation|startup|"
        r"business|shop|employer)\s+(?:adopt|use|move|migrate|switch|go|pick|choose|buy)\b"
        # which of two is better, asked after the choice: "is openshift or gke the better
        # platform for AI?"
        r"|\b(?:or|vs|versus)\s+(?:\w+\s+){1,3}?the\s+(?:better|best|faster|cheaper|safer)\b"
        # a change to the asker's own practice, proposed: "can we rotate on-call weekly instead?"
        r"|\b(?:can|could|should)\s+we\s+(?:\w+\s+){1,8}?instead\b"
        # what to look at in the asker's own system: "latency spikes every hour. what should I
        # check?", "what should we tune first"
        r"|\bwhat\s+should\s+(?:i|we)\s+(?:check|try|look\s+at|tune|inspect|debug|monitor)\b"
    ),
    "should recommend better difference differences compare compared same best good sane"
    " reasonable decent sensible solid career instead job role position faster cheaper safer",
)
# whether it suits the asker's own case, advice too: "is tailscale a good fit for our 200-person
# company?", "is kubernetes overkill for a small wordpress site?", "is openshift worth it for a
# company with 3 developers?" (not "the best fit for banks", an assessment). A form of its own,
# cued by its verdict words and "for": "right", "much" and "enough" are in many messages
_OWN_CASE = _Cued(
    re.compile(
        r"\b(?:is|are|would|will)\s+(?:\w+\s+){1,4}?(?:a\s+)?(?:good\s+fit|fit|overkill|"
        r"worth\s+it|suitable|right|enough|too\s+much|a\s+good\s+idea|good\s+enough)\s+for\s+"
        r"(?:our|my|us|me|a|an|small|tiny|\d+)\b"
    ),
    "fit overkill worth suitable right enough much idea",
    also="for",
)
# how a mechanism works ("how does dynamic IPAM work"), where to find more ("where can I
# learn more about…"), and who made or runs something ("who wrote…", "who is the CEO of…").
# A product is often named in full, with its maker and an adverb ("how does google's IPAM
# improvement for GKE actually work": seven words), so up to eight words may name it
_MECHANISM = _Cued(
    re.compile(_LEAD + r"how\s+(?:does|do|did)\s+(?:\w+\s+){1,8}?work\b"),
    "work",
    also="how",
)
# what happens inside something, asked anywhere in a message: "dynamic IPAM — how does it work
# internally", "how does the Temporal Knowledge Graph store its data internally". "Internally"
# on a "how" question asks for the mechanism itself, which no answer describes (an answer may
# say why internals matter: "internals" the noun is no such question)
_INTERNALS = _Cued(
    re.compile(r"\bhow\s+(?:does|do|did|is|are|was|were)\s+(?:\w+\s+){1,10}?internally\b"),
    "internally",
    also="how",
)
_RESOURCES = _Cued(
    re.compile(
        r"\bwhere\s+(?:can|do|could|should)\s+(?:i|we)\b|\b(?:learn|read)\s+more\b"
        r"|\burls?\b|\blinks?\s+(?:to|for)\b"
        # writing elsewhere, asked for: "any blog post from them?", "is there a whitepaper"; not a
        # source the asker cites ("I read on a blog that…")
        r"|\b(?:any|is\s+there\s+an?|got\s+an?|share\s+(?:the|an?))\s+(?:\w+\s+)?"
        r"(?:blogs?|blog\s*posts?|white\s*papers?|write\s*ups?)\b"
        r"|\b(?:is|are|was|were)\s+(?:\w+\s+){1,6}?(?:written\s+up|documented|published)\b"
    ),
    "where more url urls link links blog blogs blogpost blogposts white whitepaper whitepapers"
    " write writeup writeups written documented published",
)
_AUTHOR = _Cued(
    re.compile(
        _LEAD + r"who\s+(?:actually\s+|really\s+|exactly\s+)?(?:wrote|founded|created|built|"
        r"made|invented|owns|leads|runs|maintains|developed|designed|started|funds|sponsors|"
        r"acquired|bought|writes|creates|builds|makes|develops|designs|owned|led|ran|maintained|"
        # who carries something out: "who actually performs the audits", "who organizes it"
        r"performs|performed|conducts|conducted|carries\s+out|carried\s+out|organizes|"
        r"organises|organized|organised|oversees|oversaw|certifies|certified|audits|audited|"
        r"chairs|chaired|heads|headed|manages|managed|coordinates|coordinated|"
        r"pays\s+for|paid\s+for)\b"
        # who uses it: which organisations, by another name ("who uses Chronosphere?")
        r"|" + _LEAD + r"who\s+(?:else\s+)?(?:uses|used|adopted|adopts|(?:is|are)\s+using"
        r"|relies\s+on)\b"
        r"|" + _LEAD + r"(?:who\s+(?:is|s|was|are)\s+behind|whose)\b"
        # who does the work, "do" its verb: "who does the CNCF's security audits"
        r"|" + _LEAD + r"who\s+(?:actually\s+|really\s+)?(?:does|do|did)\s+(?:the|their|its|all)\s+"
        r"(?:\w+\s+){0,5}?(?:audits|auditing|testing|tests|reviews|reviewing|signing|scanning|"
        r"maintenance|patching|fixing|fixes|development|funding|certification|hosting)$"
        r"|" + _LEAD + r"who\s+(?:is|was|are|were)\s+the\s+\w+\s+(?:of|at|from|behind)\b"
        # a person inside an organisation: "who at OpenAI found the bug", "who on the Red Hat
        # team made it": a name no answer gives, whatever the verb ("who in their right mind…"
        # asks nothing of the kind)
        r"|" + _LEAD + r"who\s+(?:exactly\s+)?(?:at|from|on|in)\s+(?:the\s+)?"
        r"(?!(?:their|your|my|our|his|her|its)\b)\w+(?:\s+(?:team|side))?\s+\w+"
    ),
    "who whose",
)
# which organisations have done something (adopted, passed, offer…): the answers name a few,
# never a list. Which products the talk reported makers showing ("which vendors showed…") is
# what an answer says when it names the makers (`_WHICH_REPORTED`); nonprofits, agencies and
# projects it reports doing nothing of the kind, so "which NGOs presented the stories", "which
# CNCF projects failed their audit" ask for names whatever the verb
_MAKER_WORDS = (
    "vendor vendors company companies firm firms startup startups provider providers customer"
    " customers organisation organisations organization organizations org orgs distribution"
    " distributions distro distros cloud clouds"
)
_MAKERS = "|".join(sorted(_MAKER_WORDS.split(), key=len, reverse=True))  # the longest first
_WHICH_ORGS = _Cued(
    re.compile(
        r"(?<!\bno\smatter\s)\b(?:which|what)\s+(?:\w+\s+)?(?:"
        r"(?:" + _MAKERS + r")\b"
        r"(?!\s+(?:\w+\s+){0,2}(?:" + _REPORTED + r")\b)"
        r"|(?:ngos?|non\s*profits?|charit(?:y|ies)|agenc(?:y|ies)|institutions?|projects?|"
        # organisations of a kind, by name: "which hospitals use SUSE AI" (not "which sectors")
        r"hospitals|banks|universities|schools|retailers|telcos|insurers|governments|labs)\b)"
    ),
    _MAKER_WORDS + " ngo ngos non nonprofit nonprofits charity charities agency agencies"
    " institution institutions project projects hospitals banks universities schools retailers"
    " telcos insurers governments labs",
    also="which what",
)
_AUXILIARY = r"(?:should|would|could|can|do|does|did|will|must|might|is|are|was|were)\b"
# a person or team inside an organisation, asked as "who at OpenAI" is (`_AUTHOR`): "which
# team at OpenAI found the bug", "what engineers from Niantic built it"
_WHICH_INSIDER = _Cued(
    re.compile(
        r"\b(?:which|what)\s+(?:(?!" + _AUXILIARY + r")\w+\s+)?(?:teams?|engineers?|people|"
        r"person|groups?|devs?|"
        r"developers?|individuals?|employees?|staff)\s+(?:at|from|inside|within)\s+(?:the\s+)?"
        r"(?!(?:their|your|my|our|his|her|its|a|an|this|that|these|those)\b)\w+"
    ),
    "team teams engineer engineers people person group groups dev devs developer developers"
    " individual individuals employee employees staff",
    also="at from inside within",  # rarer than "which" and "what", which the pattern checks
)
# who did it, asked by the doer's kind: "which OpenAI engineer actually found the bug", "what
# team fixed it": a name no answer gives
_WHICH_DOER = _Cued(
    re.compile(
        r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:teams?|engineers?|people|person|devs?|"
        r"developers?|individuals?|employees?|folks)\s+(?:actually\s+|really\s+|first\s+)?"
        r"(?:found|fixed|discovered|spotted|caught|noticed|debugged|patched|wrote|built|"
        r"created|led|made)\b"
    ),
    "found fixed discovered spotted caught noticed debugged patched wrote built created led made",
    also="team teams engineer engineers people person dev devs developer developers"
    " individual individuals employee employees folks",
)
# what a party uses for something: "what does Scopely use for its game servers", "which does
# Niantic use to scale": its tooling, a fact an entry gives only if it says all of it ("the
# CNCF uses Antithesis for fault injection")
_USES = _Cued(
    re.compile(r"\b(?:what|which)\s+(?:does|do|did)\s+(?:\w+\s+){1,3}?use\s+(?:for|to|in|on)\b"),
    "use",
    also="what which",
)
# a party's own plans: "what is Google planning for GKE", "what are Tailscale's plans for
# Kubernetes", "what's next for NKP": what it will do, which no view of what it did holds
_PLANS = _Cued(
    re.compile(
        r"\b(?:what|which)\s+(?:is|are|s|re)\s+(?:\w+\s+){1,3}?planning\b"
        r"|\b\w+\s+s\s+(?:plans|plan|roadmap|roadmaps)\s+(?:for|to|on|around|with)\b"
        r"|\bwhat\s+(?:is|s)\s+next\s+for\b"
    ),
    "planning plans plan roadmap roadmaps next",
)
# which makers the talk reported doing something ("which vendors showed AI assistants", "which
# orgs presented the stories"): the names of the makers, which an answer gives only when it
# names some (`Responder.names_other_parties`)
_WHICH_REPORTED = _Cued(
    re.compile(
        r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:" + _MAKERS + r")\s+(?:\w+\s+){0,2}?"
        r"(?:" + _REPORTED + r")\b"
    ),
    _MAKER_WORDS,
    also="which what",
)


def asks_which_reported(raw_words: Sequence[str]) -> bool:
    """The message asks which makers the talk reported doing something (`_WHICH_REPORTED`)."""
    return _WHICH_REPORTED.search_words(raw_words) is not None


# what a product is made of, asked as such: "is X built on top of Y", "what database is X
# built on", "which language is it written in", "how is X stored": an implementation fact about
# a third party's product, which the answers (views on what it means) do not list. Only in that
# question form: "AI apps built on Kubernetes" inside another question is no such question, and
# "how it works under the hood" is not one either (the answers do say why the internals matter).
# the presenter's own life: "what's the speaker's background", "has he worked at a
# hyperscaler?", "where does Tom work". No answer tells it; what he said or thought is asked
# otherwise ("what's the speaker's take on…"). The presenter's name reaches these patterns as
# "presenter" (`Responder.by_role`), since the name is the content's to give
_PRESENTER = r"(?:he|she|presenter|the\s+(?:speaker|presenter|host))"
_BIOGRAPHY = _Cued(
    re.compile(
        r"\b(?:speaker|presenter)\s+(?:s\s+)?"
        r"(?:background|bio|biography|career|resume|cv|employer|credentials|linkedin)\b"
        r"|\bhas\s+" + _PRESENTER + r"\s+(?:ever\s+)?(?:worked(?!\s+out)|been\s+employed)\b"
        r"|\bwhere\s+(?:does|did)\s+" + _PRESENTER + r"\s+work\b"
    ),
    "background bio biography career resume cv employer credentials linkedin worked been where",
)
_MADE_OF = _Cued(
    re.compile(
        _LEAD + r"(?:(?:is|are|was|were)|(?:what|which)\s+\w+\s+(?:is|are|was|were))\s+"
        r"(?:\w+\s+){0,8}?(?:built|written|implemented|powered)\s+(?:on|in|by|upon)\b"
        r"|" + _LEAD + r"(?:is|are|was|were)\s+(?:\w+\s+){1,4}?based\s+on\b"
        r"|" + _LEAD + r"how\s+(?:is|are|was|were)\s+(?:\w+\s+){1,8}?"
        r"(?:stored|implemented|structured|architected|hosted)\b"
        # the same asked with do-support: "how does the chronosphere graph store data"
        r"|\bhow\s+(?:does|do|did)\s+(?:\w+\s+){1,6}?(?:store|persist|index|shard)\s+"
        r"(?:its\s+|their\s+|the\s+)?(?:data|state|metrics|logs|traces|events|records)\b"
    ),
    "built written implemented powered based stored structured architected hosted"
    " store persist index shard",
)
# a fault report: a crash, a failure that repeats, a symptom with a name, what broke after an
# update ("my pokémon GO app keeps crashing on android after the update"). A report of the
# asker's own trouble, not a question about what the talk said: "the bug OpenAI found" or "why
# is my cluster broken" (an assistant's use, quoted) are not symptoms in these words
_FAULT = _Cued(
    re.compile(
        r"\bcrash(?!\s+course)\w*|\b(?:keeps?|kept)\s+(?:crashing|failing|restarting|freezing|hanging|dying|erroring)\b"
        r"|\boom\s*killed\b|\bsegfault\w*|\bstack\s*traces?\b|\btraceback\b"
        r"|\b(?:won\s+t|wont|doesn\s+t|doesnt|can\s+t|cant)\s+(?:start|load|open|boot|launch|connect)\b"
        r"|\bafter\s+(?:the|an|a|my|our)\s+(?:update|upgrade)\b"
        # a symptom put to the channel's other people: "… has been crawling, anyone else
        # seeing that?", "anybody else hitting this?"
        r"|\b(?:any\s*one|any\s*body|some\s*one|some\s*body)\s+else\s+(?:(?:also|still)\s+)?"
        r"(?:seeing|having|hitting|getting|experiencing|noticing|noticed|run(?:ning)?\s+into)\b"
    ),
    "keep keeps kept oom oomkilled stack stacktrace stacktraces traceback start load open boot"
    " launch connect after else",
    parts=("crash", "segfault"),
)
# a fix asked for a trouble in the asker's own system, a bug or a symptom ("our logging agent
# is eating all our CPU, how do we fix it", "is there a fix for the logging bug in our app"):
# troubleshooting, which no answer gives. Not a fix someone else made ("what can we learn from
# OpenAI's fix"), nor what should be done about a subject the talk covered ("our remaining
# supply chain gaps and how do we fix them", "any fix for the complexity?"): no trouble named
_OUR_FIX = _Cued(
    re.compile(
        r"^(?=.*\b(?:our|my|we|i)\b)"
        r"(?=.*\b(?:bugs?|broken|eat(?:s|ing)?|ate|burn(?:s|ing)?|leak(?:s|ing)?|fail(?:s|ed|ing)?"
        r"|outages?|errors?|spik(?:es|ing)|hog(?:s|ging)?|slow)\b)"
        r".*?(?:\bhow\s+(?:do|can|could|should|would|d)\s+(?:we|i)\s+fix\b"
        r"|\bany\s+fix(?:es)?\b|\b(?:is|s)\s+there\s+(?:a|any)\s+fix\b)"
    ),
    "fix fixes",
    also="our my we i",
)
# what a party changed, or what the change itself was: "what did OpenAI change in the
# logging", "what was the one-line fix": the change's content, which a view of what it shows
# does not give ("what does that change for ops" asks the view: present tense, no party's act)
_CHANGE_MADE = _Cued(
    re.compile(
        # no \b before "what": the scan skips to the word in C ("somewhat did" is no risk)
        r"what\s+(?:exactly\s+)?did\s+(?:\w+\s+){1,3}?(?:change|fix|modify|patch|tweak|alter|"
        r"remove|disable|turn\s+off)\b"
        r"|what\s+(?:was|were)\s+(?:the|their|its)\s+(?:\w+\s+){0,3}?(?:fix|change|tweak|patch)"
        r"(?:\s+(?:exactly|itself|they|\w+\s+made))?$"
    ),
    "change fix modify patch tweak alter remove disable turn",
    also="what",
)
_WHEN = _Cued(
    re.compile(_LEAD + r"when\s+(?:is|was|will|does|did|do|are|were|can|should|s)\b"),
    "when",
)
# a date asked in other words, anywhere: "what year did the program start", "since when"
# ("what day-to-day work changes" and "what day 2 operations change" ask no date)
_COMMITTED = (
    r"mandatory|required|compulsory|deprecated|removed|retired|ga|released?|shipp?(?:ed|s)?"
)
_DATE = _Cued(
    re.compile(
        r"\b(?:what|which)\s+(?:year|date|month|day(?!\s+(?:to\s+day|zero|one|two|\d)\b))\b"
        r"|\bsince\s+when\b"
        # a commitment with a deadline: "will AI conformance become mandatory by 2027?", "GA by the
        # end of 2026?" (a forecast with a year, "by 2026 will kubernetes be the default platform
        # for AI?", asks the presenter's view of the trend: answered)
        r"|\b(?:" + _COMMITTED + r")\b[^.?!]*\bby\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d\b"
        r"|\bby\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d\b[^.?!]*\b(?:" + _COMMITTED + r")\b"
        # the date of a commitment asked without a year: "a timeline for when AI conformance
        # becomes mandatory", "any ETA on it being GA?"
        r"|\b(?:timelines?|eta|deadlines?|time\s*frame)\b"
        r"|\bwhen\b[^.?!]*\b(?:" + _COMMITTED + r")\b"
    ),
    "year date month day since mandatory required compulsory deprecated removed retired ga"
    " release released ship shipp shiped shipped ships shipps timeline timelines eta deadline"
    " deadlines timeframe time when",
)
# what the asker needs to have before doing something: "do I need a GPU to run kubernetes",
# "do we need a collector". A prerequisite of one's own setup, which no view states ("do we need
# stronger verification" asks whether the ecosystem does, and "why do we need a conformance
# program" why it matters, which an answer may say)
_PREREQUISITE = _Cued(
    re.compile(
        r"(?<!\bwhy )\b(?:do|does|would|will)\s+(?:i|we|you|u|one)\s+"
        r"(?:(?:even|really|still|actually|first)\s+)?need\s+(?:a|an|any)\s+"
    ),
    "need",
    also="i we you u one",
)
# what changed in something since, or in a release: "what's new in Devtron 2.0", "what is new
# with Lightspeed". The webinar gives views, not release notes
_NEWS = _Cued(
    re.compile(r"\bwhat\s+(?:is|s)\s+new\s+(?:in|with|for|about)\b|\bwhats\s+new\s+(?:in|with)\b"),
    "new",
    also="what whats",
)
# a rate asked for with a guess at it: "how often does CNCF audit now, yearly?", "how frequently
# … every quarter?". The guess asks for the rate itself, which a view that audits became more
# frequent does not give ("how often does CNCF do third party audits" alone asks what the
# answer says about it: the guess's words are filler, "year", so no word of it is left unsaid)
_RATE_GUESSED = _Cued(
    re.compile(
        r"\bhow\s+(?:often|frequently)\b.*\b(?:daily|weekly|monthly|quarterly|yearly|annually|"
        r"biannually|hourly|every\s+(?:\w+\s+)?(?:day|week|month|quarter|year|sprint|release)s?|"
        r"(?:once|twice)\s+(?:a|per|every)\s+(?:day|week|month|quarter|year))\b"
    ),
    "often frequently",
    also="how",
)
_PRECISION = _Cued(
    re.compile(
        r"\b(?:exact|exactly|precisely|specifically|specifics|details|detailed)\b|\bthe\s+actual\b"
    ),
    "exact exactly precisely specifically specifics details detailed actual",
)
_INTENSIFIERS = frozenset({"exact", "exactly", "precisely", "specifically", "actual"})
# an intensifier that asks for no detail: on a pronoun for what was said ("what does he mean by
# that exactly", "meant to stop exactly that"), or on a noun asking for a view ("the actual
# reasoning", "the exact point"): the view, asked pointedly, is what the answers give. Not
# after a copula: "which setting is that exactly" asks which one. "Specifically" on a phrase
# with a preposition ("a conformance program *specifically for AI*", "why does it matter *for
# ML workloads specifically*") narrows what is spoken of to that, "in particular": no detail
# asked for ("what specifically did they change" still asks one)
_EMPHASIS = re.compile(
    r"(?<!\bis\s)(?<!\bs\s)(?<!\bwas\s)(?<!\bare\s)(?<!\bwere\s)"
    r"\b(?:that|this)\s+(?:exactly|precisely)\b|\b(?:exactly|precisely)\s+(?:that|this)\b"
    r"|\bthe\s+(?:actual|exact)\s+(?P<noun>\w+)"
    r"|\bspecifically\s+(?=(?:for|about|in|on|with|to)\s+(?!what\b|which\b)\w)"
    r"|\b(?:for|about|in|on|to)\s+(?!what\b|which\b)(?:\w+\s+){1,3}?specifically\b"
)


def _asks_precision(text: str, said: Collection[str]) -> bool:
    """The message asks for the exact details (`_PRECISION`), an intensifier for emphasis
    (`_EMPHASIS`) left out. Every intensifier `_EMPHASIS` finds is one `_PRECISION` finds too,
    so a message without one is answered at once: the substitution, whose look-behinds are
    tried at every position, costs eight times the search (bench/slack_e2e.py)."""
    if _PRECISION.search(text, said) is None:
        return False
    plain = _EMPHASIS.sub(
        lambda m: m[0] if m["noun"] and m["noun"] not in EVALUATIVE else " ", text
    )
    return _PRECISION.pattern.search(plain) is not None


# instructions for the asker's own setup ("we" keeps the milder rule: see the module doc)
# and the command or setting a step is typed with ("whats the kubectl command to resize a pod",
# "the flag for dynamic IPAM")
_INSTRUCTIONS = _Cued(
    re.compile(
        r"\bhow\s+(?:do|can|could|should|would|d)\s+i\b|\bhow\s+to\b"
        r"|\b(?:command|commands|cmd|syntax|flag|flags|cli)\s+(?:to|for)\b"
    ),
    "how command commands cmd syntax flag flags cli",
)
# "how to" reported after a verb of telling or knowing asks for nothing: "an AI that tells you
# how to fix your cluster" describes a product, "I don't know how to answer" the asker
_REPORTED_HOW_TO = re.compile(
    r"\b(?:tell|tells|told|telling|show|shows|showed|showing|know|knows|knew|explain|explains|"
    r"explained)\s+(?:(?:you|me|us|them|people)\s+)?how\s+to\b"
)
# …but asking whether someone knows how to do something asks how to do it ("anyone know how to
# expose a Service on the tailnet?", "do you know how to turn it on"): chat's way of asking
_ASKED_WHO_KNOWS = re.compile(
    r"\b(?:anyone|anybody|someone|somebody|you|u|ya|y\s+all|yall)\s+knows?\s+(how\s+to)\b"
)
# a how-to joined to a question about what the message named, by a pronoun or by nothing at
# all ("what are the remaining gaps and how to address them", "what's still missing and how do
# we fix it"): what should be done about the subject, the presenter's view ("how should they
# be addressed"); not steps for the asker's own setup, which name what they are done to. Only
# after "and": "our GPU scheduling is broken, how do we fix it" reports a fault
_HOW_TO_NAMED = re.compile(
    r"\band\s+how\s+(?:to|(?:do|can|could|should|would)\s+we)\s+\w+"
    r"(?:\s+(?:it|them|this|that|these|those)\b|$)"
)


def without_reported_how_to(text: str) -> str:
    """`text` without a "how to" that a verb of telling or knowing reports (`_REPORTED_HOW_TO`):
    no how-to question at all."""
    return _REPORTED_HOW_TO.sub(" ", _ASKED_WHO_KNOWS.sub(r"\1", text))


# the same, after the subject alone: "security gaps in cloud-native, how to fix", "cncf
# security gaps how to address them", where nothing of the asker's own is said to be broken
# (`_OWN_TROUBLE`: "our clusters refuse…, how to fix it", "latency problems, how to fix them")
_HOW_TO_VERBS = ("fix", "address", "adress", "close", "solve", "tackle", "mitigate", "handle")
_HOW_TO_OBJECTS = ("it", "them", "this", "that", "these", "those")
_HOW_TO_ENDS = re.compile(
    rf"\bhow\s+to\s+(?:{'|'.join(_HOW_TO_VERBS)})(?:\s+(?:{'|'.join(_HOW_TO_OBJECTS)}))?$"
)
_HOW_TO_END_WORDS = _HOW_TO_VERBS + _HOW_TO_OBJECTS  # what such a message ends with, in C
_OWN_TROUBLE = frozenset(
    {"i", "my", "we", "our", "us", "me", "im", "ive", "mine", "ours"}
    | {"problem", "problems", "issue", "issues", "error", "errors", "broken", "slow", "failing"}
    | {"fails", "failed", "bug", "bugs", "outage", "down", "crash", "crashes", "crashing"}
)


def without_steps_asked_of_the_subject(text: str) -> str:
    """`text` without a how-to joined to a question about what the message named, by a pronoun
    or nothing ("… and how do we fix them", "… and how to address them", `_HOW_TO_NAMED`), or
    ending a message that says nothing of the asker's own ("security gaps, how to fix"): what
    should be done about the subject is the presenter's view, which an answer gives."""
    text = _HOW_TO_NAMED.sub(" ", text)
    if text.endswith(_HOW_TO_END_WORDS) and _OWN_TROUBLE.isdisjoint(text.split()):
        text = _HOW_TO_ENDS.sub(" ", text)
    return text


def _asks_instructions(text: str, said: Collection[str]) -> bool:
    """The message asks for steps for the asker's own setup (`_INSTRUCTIONS`), a reported
    "how to" or one asked of what the message named left out. The two substitutions replace
    whole words by a space, so what is left has no word the message lacks: a message without
    the cues is answered before them."""
    if not _INSTRUCTIONS.cued(text, said):
        return False
    plain = without_steps_asked_of_the_subject(without_reported_how_to(text))
    return _INSTRUCTIONS.pattern.search(plain) is not None


# steps for the asker's own setup, asked in the first person singular: "how do I get our distro
# certified", "how can I enable…". A view is no procedure, so no answer gives them, even one
# that says every word of the question (the writers of the tuning sets never asked an answer's
# view this way: "how do we fix the gaps" is a question to the presenter, and "how should I
# think about…" asks for a view)
_OWN_STEPS = _Cued(
    re.compile(
        r"\bhow\s+(?:do|can|could|d)\s+i\b(?!\s+(?:think|see|view|feel)\b)"
        # getting one's own thing through a process: "how do we get our distro certified"
        r"|\bhow\s+(?:do|can|could|should|would)\s+we\s+get\s+our\b"
        # and in the infinitive: "how to get ai conformance certified", "how to get listed"
        r"|\bhow\s+to\s+get\s+(?:\w+\s+){0,4}?(?:certified|conformant|approved|listed|"
        r"accredited|verified|validated)\b"
        # and as the asker's purpose: "what tests do I run to get my distro AI-conformant"
        r"|\bto\s+get\s+(?:my|our)\s+(?:\w+\s+){0,4}?(?:certified|conformant|compliant|"
        r"approved|listed|accredited|verified|validated)\b"
        # the generic "you" of a manual: "how do you enable Lightspeed in the console" ("how do
        # you see…" asks the presenter's view)
        r"|\bhow\s+(?:do|can|would|d)\s+(?:you|u|one)\s+(?:enable|install|configure|set\s+up|"
        r"setup|turn\s+on|activate|deploy|upgrade|migrate|connect|integrate)\b"
    ),
    "how get",
    also="i we to my our you u one",
)


def asks_for_own_steps(raw_words: Sequence[str]) -> bool:
    """The message asks, in the first person singular, how to do something, or how "we" get
    "our" own thing through ("how do we get our distro certified") (`_OWN_STEPS`): steps no
    answer gives, however much of the question an entry says."""
    return _OWN_STEPS.search_words(raw_words) is not None


# a choice between two things: "cosign vs notation", "terraform or pulumi for gke"
_CHOICE = _Cued(
    # each pair, overlapping: "nkp vs rancher vs openshift" is two ("rancher" in both)
    re.compile(r"\b(?=(?P<a>\w+)\s+(?:or|vs|versus)\s+(?P<b>\w+)\b)"),
    "or vs versus",
)


# the measure a "how …" question asks for: "how long was the webinar" asks a duration, and its
# "long" is no topic ("long-term" is one entry's word)
_MEASURES = frozenset(
    {"long", "large", "fast", "far", "old", "soon", "often", "frequently", "high", "wide"}
)


def without_measures(raw_words: Sequence[str]) -> list[str]:
    """The words of a message without the measure after each "how" ("how long", "how far")."""
    if "how" not in raw_words:  # most messages: nothing to leave out
        return list(raw_words)
    return [
        w
        for i, w in enumerate(raw_words)
        if not (i and w in _MEASURES and raw_words[i - 1] == "how")
    ]


# a verdict asked between the alternatives a message names: "which one is more secure",
# "which is easiest for a small team", "which of them is faster"; and the difference between
# them ("docker vs kubernetes, what's the difference?"), which a verdict on each would give
_VERDICT = re.compile(
    r"\bwhich\s+(?:one\s+|of\s+(?:them|these|those|the\s+\w+)\s+)?(?:is|s|are|would\s+be|"
    r"will\s+be)\s+(?:the\s+)?(?:more|most|less|least|worse|worst|\w{3,}(?:ier|iest|er|est))\b"
    r"|\bwhat\s+(?:is|s|are)\s+the\s+(?:main\s+|real\s+|key\s+)?differences?\b"
)


def compared(raw_words: Sequence[str]) -> list[str]:
    """The alternatives a message asks a verdict between (`_VERDICT`: "NKP vs Devtron vs
    Rancher — which one is easiest?", "docker vs kubernetes, what's the difference?"): each
    word beside an "or", "vs" or "versus", filler left out; none when no verdict is asked."""
    if _VERDICT_CUES.isdisjoint(raw_words) or _CHOICE_WORDS.isdisjoint(raw_words):  # most
        return []
    if _VERDICT.search(" ".join(raw_words)) is None:
        return []
    return [
        w
        for i, w in enumerate(raw_words)
        if not is_stopword(w)
        and w not in _CHOICE_WORDS
        and any(0 <= j < len(raw_words) and raw_words[j] in _CHOICE_WORDS for j in (i - 1, i + 1))
    ]


_CHOICE_WORDS = frozenset({"or", "vs", "versus"})
_VERDICT_CUES = frozenset({"which", "difference", "differences"})
# what something is compared with: "how does k8s compare to slurm", "did tom compare the
# tailscale operator to cilium clustermesh", "its cost compared with datadog's"
_COMPARED_WITH = _Cued(
    re.compile(
        r"\bcompar(?:e|es|ed|ing)\b(?:\s+\w+){0,5}?\s+(?:to|with|against)\s+"
        r"(?P<other>\w+(?:\s+\w+){0,2})"
    ),
    "compare compares compared comparing",
)


def compared_with(raw_words: Sequence[str]) -> list[str]:
    """The words of what a message compares something with (`_COMPARED_WITH`), filler left
    out; none when it compares nothing."""
    m = _COMPARED_WITH.search_words(raw_words)
    return [] if m is None else [w for w in m["other"].split() if not is_stopword(w)]


def alternatives(raw_words: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs of words a message asks to choose between ("X or Y", "X vs Y"), filler
    left out ("is it X or is it…" offers no second word), and two directions of a trend
    (`_DIRECTIONS`: "easier or harder") too, which ask for a view, not a choice."""
    text = " ".join(raw_words)
    if not _CHOICE.cued(text, raw_words):  # most messages: no "or", "vs" or "versus"
        return []
    return [
        (m["a"], m["b"])
        for m in _CHOICE.pattern.finditer(text)
        if not is_stopword(m["a"])
        and not is_stopword(m["b"])
        and not (m["a"] in _DIRECTIONS and m["b"] in _DIRECTIONS)
        and _HYPE.isdisjoint((m["a"], m["b"]))
    ]


# hype as one side of "X or Y" ("big deal or hype?", "real or just marketing"): a verdict on the
# topic asked for, which is the presenter's view, not a choice between two things. General English
_HYPE = frozenset(
    {"hype", "hyped", "overhyped", "marketing", "buzz", "buzzword", "gimmick", "fad", "vaporware"}
)


# which way something goes ("easier or harder", "winning or losing", "better or worse"): two
# directions of one trend, asked as "X or Y", ask the presenter's view of where it is heading,
# not a choice between two things an entry must name. General English
_DIRECTION_WORDS = """
    easier harder simpler better worse more less faster slower bigger smaller higher lower
    cheaper costlier winning losing growing shrinking rising falling improving worsening
    increasing decreasing gaining safer riskier
    """
_DIRECTIONS = frozenset(_DIRECTION_WORDS.split())


# where a sentence or a clause ends: punctuation, and a dash between words ("in-house" is a word)
_CLAUSE_END = re.compile(r"[?!.;,:()\[\]\"“”]+|\s[-—–]+\s|[—–]")
# the same ends but the hyphen, each made a "?": without a hyphen (whose place between spaces or
# in a word decides), cutting at each of them leaves the same words in each clause as
# `_CLAUSE_END` does (its runs only add empty parts, its spaces are no words), in one C pass
# where the pattern, with no literal to skip ahead to, is tried at every position (~2 µs)
_CLAUSE_MARKS = str.maketrans(dict.fromkeys('!.;,:()[]"“”—–', "?"))
# the same for ASCII text as bytes, with what `words` makes every other character (a letter or
# digit kept, anything else a space): a message's clauses and their words in one translation
_ASCII_CLAUSES = bytes(
    63 if chr(c) in '?!.;,:()[]"' else c if chr(c).isalnum() and c < 128 else 32 for c in range(256)
)


@lru_cache(maxsize=64)
def clauses(cleaned: str) -> tuple[tuple[str, ...], ...]:
    """The words of each sentence or clause of a cleaned message, in order, empty ones left
    out: "what even is MCP? model context protocol explained pls" is two questions, which its
    words alone (punctuation gone) run together. Kept for the message's next rule: the yes/no
    questions, the question subjects and the opinions asked each read them."""
    if "-" in cleaned:
        parts = _CLAUSE_END.split(cleaned)
    elif cleaned.isascii():
        marked = cleaned.encode().translate(_ASCII_CLAUSES).decode()
        return tuple(tuple(ws) for part in marked.split("?") if (ws := part.split()))
    else:
        parts = cleaned.translate(_CLAUSE_MARKS).split("?")
    return tuple(tuple(ws) for part in parts if (ws := words(part)))


# where a sentence ends: a full stop, question or exclamation mark before a space, or a line break
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def asked_sentences(raw_words: Sequence[str], cleaned: str = "") -> Sequence[str]:
    """The words of the sentences of a message that ask: each one that ends in a question mark,
    and the last (a question is often asked without one). "Our cloud bill is huge. What did the
    speaker conclude from the OpenAI fix?" tells its situation first: "bill" is no aspect it
    asks about. `raw_words` when the message is one sentence (or `cleaned` is not given)."""
    if not cleaned:
        return raw_words
    sentences = [s for s in _SENTENCE_END.split(cleaned.strip()) if s]
    if len(sentences) < 2:
        return raw_words
    asked = [s for s in sentences[:-1] if s.rstrip().endswith("?")] + sentences[-1:]
    return words(" ".join(asked))


# the asker speaking of their own situation ("*my* model behaves differently on eks vs aks")
_ASKER = frozenset({"i", "im", "ive", "my", "me", "we", "were", "weve", "our", "us"})
# a sentence that chooses itself, between what an earlier one named ("… which is lower?")
_CHOOSING = _DIRECTIONS | {"which", "best", "worst", "prefer", "pick", "choose", "winner"}


def choice_asked(raw_words: Sequence[str], cleaned: str = "") -> Sequence[str]:
    """The words in which a message may ask to choose (`alternatives`, `compared`): only the
    sentences that ask (`asked_sentences`) when an earlier one tells the asker's situation
    ("my model behaves differently on eks vs aks. is that what the new standards program is
    meant to fix?" asks no choice between them); the whole message when a sentence that asks
    chooses between what the others name ("eks vs aks for our ai workloads. which is
    better?")."""
    if _CHOICE_WORDS.isdisjoint(raw_words) and _COMPARED_WITH.cues.isdisjoint(raw_words):
        return raw_words  # most messages: no choice anywhere, no sentence to split
    if _ASKER.isdisjoint(raw_words):
        return raw_words
    asked = asked_sentences(raw_words, cleaned)
    if asked is raw_words or not _CHOOSING.isdisjoint(asked):
        return raw_words
    return asked


# the words a definition is asked with (`_WHAT_IS`, `_MEANS`): a message with none of them
# is not split into sentences at all
_DEFINITION_CUES = frozenset({"what", "whats", "define", "meaning", "explain", "eli5"})
_NO_ANY = frozenset({"no", "any"})
_HYPHENATED = re.compile(r"(?<=\w)-(?=\w)")  # "in-place", "end-to-end": one term


def asks_definition(raw_words: Sequence[str], cleaned: str = "") -> bool:
    """The message only asks what a term is ("what is MCP?", "what does SBOM stand for"), or
    one sentence of its text `cleaned` does (`clauses`: "what even is MCP? model context
    protocol explained pls", "what's a temporal knowledge graph in general, vs a normal graph
    db?"): the answers never define their terms. An evaluative noun ("what are the risks",
    "what was the recommendation") asks for the presenter's view instead, and a phrase with
    filler in it ("what is CNCF doing about…", "what's the point of…") is a question about
    something else.
    A sentence that asks why, or for a view, asks what the answers say, so the message is more
    than a definition: "what's AI conformance, and why does it matter?" is answered. A term
    joined by hyphens is one word ("what is *in-place* pod resizing": its "in" is no filler)."""
    if _defines(raw_words):
        return True
    if "-" in cleaned and _defines(words(_HYPHENATED.sub("", cleaned))):
        return True
    if not cleaned or _DEFINITION_CUES.isdisjoint(raw_words):
        return False
    if any(
        w == "why" or (w in EVALUATIVE and not (w == "idea" and i and raw_words[i - 1] in _NO_ANY))
        for i, w in enumerate(raw_words)
    ):  # "no idea", "any idea": not knowing, no view asked
        return False
    sentences = clauses(cleaned)
    return len(sentences) > 1 and any(_defines(s) for s in sentences)


def _defines(raw_words: Sequence[str]) -> bool:
    """`raw_words`, all of them, ask what a term is (`asks_definition`)."""
    if _DEFINITION_CUES.isdisjoint(raw_words):  # every form opens with one; most messages lack it
        return False
    text = " ".join(raw_words)
    if raw_words[-1] in _WHERE_SAID_LAST:
        text = _WHERE_SAID.sub("", text)
    if raw_words[-1] in _PLEASE_WORDS:
        text = _PLEASE.sub("", text)
    m = _WHAT_IS.match(text) or _MEANS.match(text)
    if m is None:
        return False
    np = next(v for k, v in m.groupdict().items() if k.startswith("np") and v).split()
    # a version is part of the term's name ("what's devtron 2.0"), not filler
    return not any(w in EVALUATIVE or (is_stopword(w) and not w.isdigit()) for w in np)


# "what does Tailscale do", "who is Scopely", as the whole message: what the named one is
_WHAT_IT_DOES = re.compile(
    _LEAD + r"(?:what\s+(?:does|do)\s+" + _ARTICLE + r"(?P<np>(?:\w+\s+){0,2}?\w+)\s+do"
    r"(?:\s+exactly)?|(?:who\s+(?:is|are|s|re)|whos)\s+"
    + _ARTICLE
    + r"(?P<np2>(?:\w+\s+){0,2}?\w+))$"
)
_WHAT_IT_DOES_LAST = frozenset({"do", "exactly"})  # how the first form ends
_WHO = frozenset({"who", "whos"})


def maker_asked(raw_words: Sequence[str]) -> list[str]:
    """The words of what the whole message asks the nature of, "what does <it> do" or "who is
    <it>", else none. Asked of a maker's name ("what does Nutanix do"), the entry naming it
    tells what it did at the show, not what it is, and was posted as if it answered; asked of
    a thing the content explains ("what does the AI conformance program do"), the entry's
    answer is the answer. Which it is, the responder knows (`Responder.names_a_party`)."""
    if not raw_words or (raw_words[-1] not in _WHAT_IT_DOES_LAST and _WHO.isdisjoint(raw_words)):
        return []
    m = _WHAT_IT_DOES.match(" ".join(raw_words))
    return (m["np"] or m["np2"]).split() if m else []


# the words a judgement is asked with, looked for before the pattern
_JUDGING = frozenset({"normal", "expected", "healthy"})
# asked to judge what was just reported: "… is that normal?", "are those numbers expected?"
_JUDGED = re.compile(
    r"\b(?:is|are)\s+(?:that|this|these|those)\s+(?:numbers?\s+)?(?:normal|expected|healthy)\b"
)


def judged_figures(raw_words: Sequence[str], cleaned: str = "") -> list[str]:
    """The figures of a reading the message asks to judge ("… shows prometheus using *40Gi* of
    memory. is that normal?": `_JUDGED`), as words; none when it asks no such thing, or
    reports no figure ("k8s keeps getting more complex, is that normal?" asks of a trend, a
    view). A reading is a measurement: a number with its unit or a percentage ("40Gi", "90%"),
    a count ("12 restarts"). A product's version ("Devtron *2.0*", "v1.29") names what is
    measured, and a multiplier ("*10x* more complex than 5 years ago") sizes a trend the
    presenter's view speaks of: neither is a reading of the asker's system. `cleaned`, the
    message with its punctuation, shows a version's dots. `Responder.judges_a_reading`
    decides whose figures they are."""
    if _JUDGING.isdisjoint(raw_words) or _JUDGED.search(" ".join(raw_words)) is None:
        return []  # most messages: nothing to judge
    found: list[str] = []
    before = ""  # the token before this one: a version follows its product's name
    for m in _TOKEN.finditer(cleaned or " ".join(raw_words)):
        token = m[0]
        if any(c.isdigit() for c in token) and not _not_a_reading(token, before):
            found.extend(words(token))
        before = token
    return found


# a token with what joins its parts: "2.0", "v1.29.3", "80%", "40gi"
_TOKEN = re.compile(r"[^\W_]+(?:[.,][^\W_]+)*%?")
_MULTIPLIER = re.compile(r"\d+(?:\.\d+)?x")
_VERSION = re.compile(r"v\d+(?:\.\d+)*|\d+(?:\.\d+){2,}")
_DECIMAL = re.compile(r"\d+\.\d+")
# words with a digit that are names, not figures ("k8s", "k3s")
_NOT_FIGURES = frozenset({"k8s", "k3s", "k0s", "i18n", "l10n"})


def _not_a_reading(token: str, before: str) -> bool:
    """A token with a digit that is no figure of a reading (`judged_figures`): a name ("k8s"),
    a multiplier ("10x"), a version ("v1.29", "1.29.3", or "2.0" right after its product's
    name: "devtron 2.0"; after a verb or preposition, "using 2.5 gb", it is a quantity)."""
    if token in _NOT_FIGURES or _MULTIPLIER.fullmatch(token) or _VERSION.fullmatch(token):
        return True
    return _DECIMAL.fullmatch(token) is not None and before.isalpha() and not is_stopword(before)


def asks_number(raw_words: Sequence[str]) -> bool:
    """The message asks for a number ("how many players showed up", "what percent of
    projects"): an entry whose text states none cannot give it, whatever else it says."""
    return _NUMBER.search_words(raw_words) is not None


# what something costs, asked of now or later: "how much does it cost", "what would NKP cost
# us". A cost verb is required: "how much will kubernetes get easier", "how much would it
# reduce toil" ask a degree. Not a figure of the past ("how much did the logging bug cost
# OpenAI": 30,000 CPU cores is an answer to that). A sum of money asked in so many words is
# asked of any tense ("how much money did OpenAI save"): the cores are no answer to that
_PRICE = _Cued(
    re.compile(
        r"\bhow\s+much\s+(?:does|do|would|will|is|are|should)\b(?:\s+\w+){0,6}?"
        r"\s+(?:cost|costs|charge|charges|set\s+\w+\s+back)\b"
        r"|\bwhat\s+(?:does|do|would|will)\b(?:\s+\w+){1,5}?\s+cost\b"
        # in the past, one thing costing ("how much did the webinar cost?", "what did it cost
        # us"); not what it did to a cost ("how much did the cache cut *the* narwhal cost")
        r"|\b(?:how\s+much|what)\s+did\s+(?:the\s+|a\s+|an\s+)?(?:(?!(?:the|a|an)\b)\w+\s+){1,3}?"
        r"cost\b"
        r"|\bhow\s+much\s+(?:money|cash)\b"
        # a sum named as what is asked: "what's the CNCF's annual budget for audits" (not the
        # asker's own: "NGOs that can't afford big IT budgets")
        r"|\b(?:what|whats|how\s+big|how\s+large)\s+(?:is|s|was|are|re|were)?\s*(?:the\s+)?"
        r"(?:\w+\s+){0,5}?(?:budget|budgets|spend|spending)\b"
        # a figure turned into money: "what are the 30,000 cores worth in dollars"
        r"|\bin\s+(?:dollars|euros|pounds|usd|eur|gbp|bucks)\b"
        # nothing to pay: "can a startup use it for free", "is there a free tier"
        r"|\bfor\s+free\b|\bfree\s+(?:tier|tiers|plan|plans|trial|trials|edition|of\s+charge)\b"
        r"|\bfree\s+to\s+use\b"
    ),
    "cost costs charge charges set money cash free dollars euros pounds usd eur gbp bucks"
    " budget budgets spend spending",
    also="cost costs charge charges set money cash free how dollars euros pounds usd eur gbp bucks"
    " what whats",
)
# a thing's price asked with "be", the thing ending the question: "how much is NKP", "how much
# are kubecon tickets" ("how much is kubernetes used for AI" asks a degree)
_PRICE_BE = _Cued(
    re.compile(
        r"^(?:\w+\s+){0,3}?how\s+much\s+(?:is|are|s|re|was|were)\s+(?:\w+\s+){0,3}?\w+"
        r"(?:\s+(?:per|a|an|each)\s+\w+)?(?:\s+(?:pls|please|plz|now|today|again))?$"
    ),
    "much",
    also="is are s re was were",
)
# a stated price: a currency sign or word beside a figure
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn)?\s?(?:dollars|euros|pounds|usd|eur|gbp)\b",
    re.IGNORECASE,
)


def asks_price(raw_words: Sequence[str]) -> bool:
    """The message asks what something costs. An entry that says "cost" ("significant cost
    savings") without a price cannot answer it: "how much does it cost" was posted with the
    OpenAI answer, `not_covered`'s "cost" being a word that answer uses."""
    return (
        _PRICE.search_words(raw_words) is not None or _PRICE_BE.search_words(raw_words) is not None
    )


def states_a_price(text: str) -> bool:
    return _MONEY.search(text) is not None


def asks_specifics(raw_words: Sequence[str]) -> Sequence[str] | None:
    """The words an entry must say to answer a message asking for a specific fact (a property
    of a third party, a count, a date, the exact details, availability, advice…), for
    instructions or for help with a fault: all of them, since any word the entry leaves
    unexplained may be the fact; for an object question only its noun ("which *industries*
    does SUSE target": an entry that speaks of industries names some), unless that noun asks
    for a name ("which *library* did OpenAI patch", "which library was involved": NAMING),
    whose answer an entry gives only if it says all of the question. None when the message
    asks for none of these."""
    text, said = " ".join(raw_words), tuple(raw_words)
    if _asks_precision(text, said):  # the intensifier itself is no fact: the rest must be said
        return [w for w in raw_words if w not in _INTENSIFIERS]
    if _COUNT.search(text, said) or _unheld_form(text, said) or _asks_instructions(text, said):
        return raw_words
    uses = _USES.search(text, said)
    if uses is not None:  # from the question on: "sec question: what does CNCF use for…"
        return text[uses.start() :].split()
    noun, names = _named_object(text, said)
    if names:  # the whole question must be said
        return raw_words
    return None if noun is None else list(noun)


# the bad side of something, asked for: "what are the downsides of X? any criticism?". An
# answer that weighs no risk, gap or difficulty (`DOWNSIDES_TOLD`) gives none, whatever else
# of X it says. "What are the risks" asks the presenter's view of X (EVALUATIVE), answered
_DOWNSIDES = frozenset(
    {"downside", "downsides", "drawback", "drawbacks", "criticism", "criticisms", "critique"}
    | {"cons", "disadvantage", "disadvantages", "pitfall", "pitfalls", "weakness", "weaknesses"}
    | {"limitation", "limitations", "negatives"}
)
# the words an answer tells a bad side in (General English)
DOWNSIDES_TOLD = frozenset(
    {"risk", "risks", "challenge", "challenges", "challenging", "downside", "drawback"}
    | {"tension", "harder", "complexity", "complex", "gap", "gaps", "danger", "dangers"}
    | {"pitfall", "limitation", "problem", "problems", "weakness", "difficult", "hard"}
)


def asks_downsides(raw_words: Sequence[str]) -> bool:
    """The message asks for the bad side of something (`_DOWNSIDES`)."""
    return not _DOWNSIDES.isdisjoint(raw_words)


def asks_biography(raw_words: Sequence[str]) -> bool:
    """The message asks about the presenter's own life (`_BIOGRAPHY`): no answer tells it, and
    neither does the recording card that names him."""
    return _BIOGRAPHY.search_words(raw_words) is not None


def asks_unheld_fact(raw_words: Sequence[str]) -> bool:
    """The message asks, in one of the forms `asks_specifics` knows, for a fact that a view
    does not hold even when it says every word of the question: which organisations, whether
    a product supports or runs on something, advice or a comparison, where to learn more, help
    with a fault, when, how something works inside, who made or runs it, what it is made of,
    or a name ("who runs the AI Conformance Program": an entry that speaks of running it
    names nobody). Counts, precision and object questions are not among them: an entry that
    says their words does give them ("what role did ML prediction play", "which tension
    exactly")."""
    text, said = " ".join(raw_words), tuple(raw_words)
    return _unheld_form(text, said) or _named_object(text, said)[1]


@lru_cache(maxsize=1024)
def _named_object(text: str, said: tuple[str, ...]) -> tuple[tuple[str, ...] | None, bool]:
    """(`_object_noun`, whether the message asks for a name: `_asks_a_name`), of the message
    `text`, its words `said`. Cached as `_unheld_form` is: the responder asks both
    `asks_unheld_fact` and `asks_specifics` of one message, and each asked these two."""
    noun = _object_noun(text, said)
    return (None if noun is None else tuple(noun)), _asks_a_name(text, noun, said)


_UNHELD_ANYWHERE = (
    _CAPABILITY,
    _WHICH_ORGS,
    _WHICH_INSIDER,
    _WHICH_DOER,
    _PLANS,
    _ADVICE,
    _OWN_CASE,
    _RESOURCES,
    _FAULT,
    _OUR_FIX,
    _INTERNALS,
    _DATE,
    _NEWS,
    _PREREQUISITE,
    _CHANGE_MADE,
    _RATE_GUESSED,
    _BIOGRAPHY,
)
_UNHELD_ASKED = (_WHEN, _MECHANISM, _AUTHOR, _MADE_OF, _CERTIFIED)


def _by_cue(
    anywhere: Sequence[_Cued], at_start: Sequence[_Cued]
) -> dict[str, list[tuple[_Cued, bool]]]:
    """cue word -> the patterns it cues, each with whether it is tried at the start."""
    found: dict[str, list[tuple[_Cued, bool]]] = {}
    for form, start in [(f, False) for f in anywhere] + [(f, True) for f in at_start]:
        for cue in form.cues:
            found.setdefault(cue, []).append((form, start))
    return found


# cue word -> the forms above it may be asked in, each with whether it is asked at the start
# (`match`) or anywhere (`search`): a message's cue words are found by one set intersection,
# and only their forms are tried, where asking each of the 14 forms for its cues cost a method
# call apiece (bench/respond_instructions.py)
_UNHELD_BY_CUE = _by_cue(_UNHELD_ANYWHERE, _UNHELD_ASKED)
_UNHELD_CUES = frozenset(_UNHELD_BY_CUE)
_UNHELD_PARTS = [(f, False) for f in _UNHELD_ANYWHERE if f.parts]  # "crash…": no whole word


@lru_cache(maxsize=1024)
def _unheld_form(text: str, said: tuple[str, ...]) -> bool:
    """`text` (its words `said`) is asked in one of the forms whose fact no view holds
    (`asks_unheld_fact`). Cached: the responder asks this and `asks_specifics` of the same
    message, and these are most of the regular expressions a message is searched with. Which
    form matches does not matter, so they are tried in any order."""
    tried = {form for cue in _UNHELD_CUES.intersection(said) for form in _UNHELD_BY_CUE[cue]}
    tried.update(f for f in _UNHELD_PARTS if any(p in text for p in f[0].parts))
    for form, at_start in tried:
        if form.also and form.also.isdisjoint(said):
            continue
        if (form.pattern.match if at_start else form.pattern.search)(text) is not None:
            return True
    return False


# the same object asked of the asker's own choice or need: "what *settings* should we change",
# "what *skills* should I focus on", "what *kyverno policy* do I need"; an entry that speaks of
# skills names some, one that never says "settings" or "kyverno" holds none
_SHOULD_OBJECT = re.compile(
    r"\b(?:what|which)\s+(?P<noun>(?:(?!else\b)\w+\s+){1,2}?)"
    r"(?:should\s+(?:i|we)\b|(?:do|would)\s+(?:i|we)\s+need\b)"
)


def _object_noun(text: str, said: Collection[str]) -> list[str] | None:
    """The noun of an object question with do-support ("which *industries* does SUSE
    target") or of the asker's own choice ("what *settings* should we change":
    `_SHOULD_OBJECT`), or None: no such question, or its noun asks for a view ("what
    *lessons* did Niantic learn", "what lessons should we take"), which is what the answers
    give."""
    m = _DO_OBJECT.search(text, said)
    if m is None and ("should" in text or "need" in text):
        m = _SHOULD_OBJECT.search(text)
    if m is None:
        return None
    noun = m.group("noun").split()
    return None if any(w in EVALUATIVE for w in noun) else noun


# names asked for in so many words: "… featured in the stories? names pls", "name a few",
# "what were their names"
_NAMES_ASKED = _Cued(
    re.compile(
        r"\bnames?\s+(?:pls|plz|please)\b|\b(?:any|the|their|some|actual)\s+names\b"
        r"|\bname\s+(?:them|a\s+few|some|one|names)\b"
        # a list of them, asked as one at the end: "ai conformance certified distros list"
        r"|\b\w+s\s+list(?:\s+(?:pls|plz|please))?$"
        # what a thing is called: "what is Google's AI-enabled management portal called?"
        r"|\bwhat\s+(?:is|s|are|was|were)\s+(?:\w+\s+){1,8}?called$"
    ),
    "name names list called",
)


def _asks_a_name(text: str, object_noun: list[str] | None, said: Collection[str]) -> bool:
    """The message asks for a name: its "which/what <noun> is/was…" ("which logging library
    was involved") or do-support object (`object_noun`: "which library did OpenAI patch") is a
    kind whose answer is a name (NAMING: "logging library", "LLM"), or the message ends asking
    for one alone ("… the logging fix OpenAI made? which library?": `_NAMED_ALONE`)."""
    m = _NAMED_BE.search(text, said)
    if m is not None and (m["subject"] or m["most"] or not NAMING.isdisjoint(m["noun"].split())):
        return True
    if text[text.rfind(" ") + 1 :] in NAMING and _NAMED_ALONE.search(text) is not None:
        return True
    if _NAMES_ASKED.search(text, said) is not None:
        return True
    return object_noun is not None and not NAMING.isdisjoint(object_noun)


# A yes/no question ("does NKP replace Karbon?", "is Red Hat hiring?", "is there a security hole
# in Lightspeed?"): an auxiliary opens a clause. What it asks of its subject is the fact: the
# answers give the presenter's view of what things *do to* Kubernetes work ("does Tailscale's
# operator make clusters less painful", "does SUSE's approach help with MCP sprawl", "is AI
# conformance worth it"), not a third party's properties, plans or events ("did OpenAI publish
# the fix", "does SUSE AI need GPUs"). `Responder.asks_of_a_party` tells them apart.
_YES_NO = re.compile(
    _LEAD + r"(?:does|do|did|is|are|was|were|has|have|had|will|can|could|isn\s+t|doesn\s+t|"
    r"didn\s+t)\s+(?P<there>there\s+)?(?P<rest>.+)$"
)
# the words a clause `_YES_NO` matches opens with: a lead word or an auxiliary
_YES_NO_OPENERS = frozenset(_LEAD_WORDS) | {"does", "do", "did", "is", "are", "was", "were"}
_YES_NO_OPENERS |= {"has", "have", "had", "will", "can", "could", "isn", "doesn", "didn"}
# words a yes/no question asks the view with: an effect on something ("does X *make* it easier",
# "*help* with", "*change* the role", "*reduce* toil"), an assessment ("*worth* it", "a good
# *fit*", "*hype*", "*mature* enough", "the *biggest* one") or what a case shows ("does the
# OpenAI *story* *show*…"). General English
_VIEW_WORDS = """
    make makes made making help helps helped helping matter matters mattered change changes
    changed changing reduce reduces reduced cut cuts improve improves improved simplify
    simplifies shorten shortens prove proves proved show shows showed suggest suggests mean
    means affect affects benefit benefits worth hype hyped marketing good fit useful ready
    mature enough better worse best worst more less most big bigger biggest important
    impactful realistic true real story stories approach case effort etc thing stuff
    """
VIEW_WORDS = frozenset(_VIEW_WORDS.split())
# what a product needs, has or owns: the verbs chat treats as filler ("need", "have"), so
# no word of the fact is left for an entry to leave unsaid ("does SUSE AI need GPUs")
_HAS_WORDS = """
    need needs needed require requires required have has had own owns owned
    """
_HAS = frozenset(_HAS_WORDS.split())
# what opens a noun phrase, or closes a possessive one ("google's" is "google s")
DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "its", "their", "s"})


# what someone thought or said, asked of them: "what did the Google keynote speakers think
# about…", "what does Tailscale itself say about…". Asked of a named party, its own opinion,
# not the presenter's (`Responder.asks_a_partys_opinion`); asked of the talk, of "you" or of a
# case ("what does the Niantic story say about…"), the view the answers give
_THINKING = ("think", "thought", "say", "said", "feel", "believe")
_OPINION = re.compile(
    _LEAD + r"what\s+(?:do|does|did)\s+(?P<subject>(?:\w+\s+){1,5}?)"
    r"(?:" + "|".join(_THINKING) + r"|make\s+of)\b"
)


_OPINION_VERBS = frozenset({*_THINKING, "make"})
_OPINION_ANYWHERE = re.compile(
    r"\bwhat\s+(?:do|does|did)\s+(?:\w+\s+){1,5}?(?:" + "|".join(sorted(_OPINION_VERBS)) + r")\b"
)


def opinion_subjects(raw_words: Sequence[str], cleaned: str) -> list[list[str]]:
    """The subjects of the clauses of a cleaned message (its words `raw_words`) that ask what
    someone thought or said (`_OPINION`): "what did *the google keynote speakers* think
    about…"."""
    if "what" not in raw_words or _OPINION_VERBS.isdisjoint(raw_words):  # most messages
        return []
    if _OPINION_ANYWHERE.search(" ".join(raw_words)) is None:  # no clause need be looked at
        return []
    found = []
    for clause in clauses(cleaned):
        m = _OPINION.match(" ".join(clause))
        if m is not None:
            found.append(m["subject"].split())
    return found


# what a view is asked of: "what did Tom think *about VMware Tanzu* for AI", "his take on
# serverless", "thoughts on Kubeflow?", or what was made known of it ("announced about TPUs")
_VIEWED = _Cued(
    re.compile(
        r"\b(?:think|thinks|thought|thoughts|opinion|opinions|take|takes|view|views|feel|feels"
        r"|say|says|said|make"
        # and what a party made known of it: "what did Google announce about TPUs"
        r"|announce|announced|reveal|revealed|share|shared|mention|mentioned)"
        r"\s+(?:of|on|about|re|regarding)\s+(?P<object>(?:\w+\s+){0,3}?\w+)"
        r"(?=\s+(?:for|in|with|vs|versus|or|and|as|when|at|if|compared)\b|$)"
    ),
    "think thinks thought thoughts opinion opinions take takes view views feel feels say says"
    " said make announce announced reveal revealed share shared mention mentioned",
)


def viewed(raw_words: Sequence[str], cleaned: str = "") -> list[str]:
    """The words of what a message asks someone's view of (`_VIEWED`), filler left out; none
    when it asks no view of anything. Clause by clause of `cleaned` when given."""
    if not _VIEWED.cued("", raw_words):  # most messages
        return []
    found: list[str] = []
    for clause in clauses(cleaned or " ".join(raw_words)):
        text = " ".join(clause)
        m = _VIEWED.search(text, clause)
        if m is not None:
            found += [w for w in m["object"].split() if not is_stopword(w)]
    return found


def yes_no_clauses(cleaned: str) -> list[tuple[bool, list[str]]]:
    """The yes/no questions of a cleaned message (`clauses`): for each, whether it asks if
    something exists ("is there…") and its words after the auxiliary."""
    return [
        (m["there"] is not None, m["rest"].split())
        for m in _clauses_matching(cleaned, _YES_NO_OPENERS, _YES_NO)
    ]


def _clauses_matching(
    cleaned: str, openers: frozenset[str], form: re.Pattern[str]
) -> Iterator[re.Match[str]]:
    """`form` matched at the start of each clause of `cleaned` that opens with one of
    `openers`: most clauses open with none, and are not joined and matched."""
    for clause in clauses(cleaned):
        if clause[0] in openers and (m := form.match(" ".join(clause))) is not None:
            yield m


# the subject of a question, when it is a bare name: the word right after the auxiliary of a
# clause that opens with one ("*was* log4shell the reason…") or with a question word and up to
# three more ("which AI tooling *did* AWS announce…"). After an article the words describe
# ("was *the chatgpt company's* fix…" is OpenAI's), and an -ing word is an activity ("why is
# *standardising* this important"): neither is a name
_SUBJECT = re.compile(
    _LEAD + r"(?:(?:what|which|how|why|where|when|who)\s+(?:\w+\s+){0,3}?)?"
    r"(?:does|do|did|is|are|was|were|has|have|had|will|can|could)\s+"
    r"(?P<subject>(?!(?:a|an|the|this|that|these|those)\b)\w+(?<!ing))\b"
)
_SUBJECT_CUES = _YES_NO_OPENERS | {"what", "which", "how", "why", "where", "when", "who"}


def question_subjects(cleaned: str) -> list[str]:
    """The subject of each question clause of a cleaned message (`_SUBJECT`), as written."""
    return [m["subject"] for m in _clauses_matching(cleaned, _SUBJECT_CUES, _SUBJECT)]


def asks_a_view(words_after: Sequence[str]) -> bool:
    """A yes/no question's words ask the presenter's view: an effect, an assessment, what a
    case shows (`VIEW_WORDS`)."""
    return not VIEW_WORDS.isdisjoint(words_after)


def asks_what_it_has(words_after: Sequence[str]) -> bool:
    """A yes/no question asks what its subject needs, has or owns (`_HAS`)."""
    return not _HAS.isdisjoint(words_after)


def owner(words_after: Sequence[str]) -> list[str]:
    """The subject of a yes/no question asking what it needs, has or owns: its words before
    the verb, determiners left out ("does *EKS* have an AI assistant like Lightspeed?");
    empty when it asks no such thing."""
    at = next((i for i, w in enumerate(words_after) if w in _HAS), 0)
    return [w for w in words_after[:at] if w not in DETERMINERS]
