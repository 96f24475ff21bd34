"""Contact with pupils outside professional boundaries (PC101-PC104).

* PC101: seeking social contact: "add me", "follow me on insta", "meet up after school".
* PC102: moving to a private channel: "DM me", "add me on snap", "text me", "my number is".
* PC103: secrecy: "don't tell your parents", "our little secret", "delete these messages".
* PC104: remarks on a pupil's appearance: "you looked gorgeous in your prom dress".

Every one of them needs pupils as the audience or the target, from the shared audience cues:
"Year 10s", "kids" (spoken to), "my students", "6B", a pupil's name. "DM me for the recipe" to
friends, or "parents, message me with questions", stays quiet; so does a message that points to
the school's own channels (Teams, Google Classroom, the school e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    Cue,
    Hit,
    Kind,
    PhraseMatcher,
    addressed,
    audience_cues,
    negated,
    sentence_of,
    sentences,
    windowed,
)

PC101 = Rule(
    code="PC101",
    name="pupil-social-contact",
    message="Seeking social contact with pupils",
    what="Inviting pupils (or past pupils under 18) to friend, follow or add you, or to meet up "
    "outside school.",
    example="Any of my Year 10s who want to add me, I'm on insta!",
    instead="Year 10: any questions about the exam, ask me in class or on Teams.",
    fix="Don't invite pupils to connect or meet socially; use the school's own channels for work.",
)
PC102 = Rule(
    code="PC102",
    name="pupil-private-channel",
    message="Moving pupils to a private channel",
    what="Asking pupils to message you privately, add you on Snapchat or WhatsApp, or text you.",
    example="Year 11, DM me if you're worried about your mocks.",
    instead="Year 11, if you're worried about your mocks, come and see me or message me on Teams.",
    fix="Keep contact with pupils on the school's channels (school e-mail, Teams, the school "
    "app), open to scrutiny.",
)
PC103 = Rule(
    code="PC103",
    name="pupil-secrecy",
    message="Asking pupils to keep secrets",
    what="Secrecy with pupils: not telling their parents, keeping things between you, deleting "
    "messages.",
    example="Well done 6B, extra golden time tomorrow but don't tell your parents, our little "
    "secret!",
    instead="Well done 6B, extra golden time tomorrow!",
    fix="Never ask pupils to keep anything from their parents or the school; remove the post and "
    "tell the DSL if a pupil has been messaged.",
)
PC104 = Rule(
    code="PC104",
    name="pupil-appearance",
    message="A remark on a pupil's appearance",
    what="Comments on how a pupil looks, especially their body or clothes.",
    example="You looked gorgeous in your prom dress, Amy!",
    instead="Well done to all our Year 11s on a brilliant prom night!",
    fix="Praise effort and achievement, never a pupil's looks or body.",
)

# (rule, base score, pattern) searched in doc.lower.
_ACTIONS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    (
        "PC101",
        0.85,
        re.compile(
            r"\badd\s+me\b(?!\s+(?:to\s+(?:the\s+)?(?:list|rota|group|email|mailing|register|"
            r"spreadsheet|whatsapp\s+group|class\s+page)|on\s+(?:teams|classroom|dojo|snap\w*|"
            r"whatsapp|kik|discord|telegram|signal|wickr|messenger)))"
            r"|\bfollow(?:ed|ing)?\s+you\s+(?:back|on)\b|\baccept(?:ed)?\s+your\s+(?:friend\s+)?"
            r"request\b|\b(?:play|game|gaming|hang)\s+(?:\w+\s+)?with\s+me\b|\bjoin\s+me\s+on\b"
            r"|\bmy\s+(?:minecraft|roblox|fortnite|xbox|playstation|psn|discord|gaming)\s+(?:server|"
            r"account|gamertag|id|world|name)\b"
            r"|\bfriend\s+me\b|\bsend\s+me\s+a\s+(?:friend\s+)?request\b"
            r"|\baccept\s+my\s+(?:friend\s+)?request\b|\brequest\s+me\b"
            r"|\bfollow\s+me\s+(?:on|at|@|back|over\s+on)\b|\bfollow\s+my\s+(?:insta\w*|page|"
            r"account|tiktok|channel|snap|twitter)\b|\bgive\s+me\s+a\s+follow\b|\bfind\s+me\s+on\b"
            r"|\b(?:i['’]?m|i\s+am)\s+(?:now\s+|also\s+)?on\s+(?:insta\w*|snap\w*|tiktok|facebook|fb|"
            r"twitter|threads|bereal)\b|\bcome\s+(?:and\s+)?find\s+me\b"
            r"|\blook\s+me\s+up\s+on\b|\bmy\s+(?:insta\w*|snap\w*|tiktok|facebook|fb|ig|twitter)\s+"
            r"(?:is|handle|name|@)|\bsubscribe\s+to\s+my\s+(?:channel|youtube)\b"
            r"|\bmeet(?:ing)?\s+up\b|\bhang(?:ing)?\s+out\b|\bcome\s+(?:round|over)\b|\bpop\s+round\b"
            r"|\bgrab\s+an?\s+(?:coffee|drink|milkshake|bite|burger|maccies|mcdonald['’]?s)\b"
            r"|\bgo\s+for\s+an?\s+(?:drink|coffee|pizza|burger|milkshake)\b|\bgive\s+you\s+a\s+lift\b"
            r"|\blift\s+home\b|\bsleepover\b|\bcome\s+to\s+mine\b|\bparty\s+at\s+mine\b"
            r"|\bhit\s+me\s+up\b|\bbe\s+friends\s+on\b|\bfriends\s+on\s+(?:facebook|fb|insta\w*|snap\w*)"
            # "accepted a friend request from one of my Year 5s", "sent a friend request to"
            # a channel of one's own to grow: "go find me and hit follow", "subscribe and comment"
            r"|\bhit\s+(?:follow|subscribe)\b|\bsubscribe\s+and\b"
            r"|\bgo\s+(?:and\s+)?find\s+me\s+(?:on\b|and\s+(?:follow|subscribe|hit|add|like))"
            r"|\bi(?:['’]ve|\s+have)?\s+(?:just\s+)?(?:started|made|set\s+up|created|launched)\s+"
            r"(?:a|an|my\s+own)\s+(?:youtube|tiktok|twitch|insta\w*)\b"
            r"|\bwe\s+should\s+(?:meet|go\s+out|get\s+together)\b"
            r"|\b(?:accept(?:ed|ing)?|sent|send(?:ing)?|got|had|received|approv(?:e|ed|ing))\s+"
            r"(?:a|her|his|their|your|my|the|another)\s+(?:friend|follow(?:er)?)\s+requests?\b"
        ),
    ),
    (
        # outings, reported only with a place or time outside school (_OUTSIDE): "fancy a kickabout
        # at the rec over summer?", "cinema trip this Saturday, just me and them, my treat"
        "PC101o",  # its own gate words: _WORDS["PC101o"]
        0.45,
        re.compile(
            r"\bfancy\s+(?:a|an|some)\s+(?:kick-?about|game\s+of|catch[\s-]?up|coffee|hot\s+chocolate|"
            r"milkshake|drink|walk|swim|bike\s+ride|run|play\s*date|day\s+out|trip\s+to)\b"
            r"|\bjust\s+(?:me\s+and\s+(?:them|you|him|her)|(?:you|them)\s+and\s+me)\b"
            r"|\b(?:take|taking|took|treat(?:ing)?)\s+(?:them|you|him|her)\s+(?:out\s+)?(?:to|for)\s+"
            r"(?:the\s+cinema|a\s+(?:pizza|burger|milkshake|film|meal|coffee)|mcdonald['’]?s|maccies|"
            r"bowling|the\s+park|lunch|tea|ice\s+cream|the\s+pictures)\b"
            r"|\bjoin\s+me\s+(?:at|for|in)\s+(?:the\s+)?(?:park|rec|beach|pool|cinema|caf[eé]|"
            r"pub|gym|match|game|woods)\b"
            r"|\bmy\s+treat\b|\bi['’]?ll\s+be\s+(?:there|at\s+the\s+(?:park|rec|beach|pool|field|"
            r"cinema|shops))\b|\bcome\s+and\s+(?:find|join|see)\s+me\s+(?:at|in)\s+(?:the\s+)?"
            r"(?:park|rec|beach|pool|cinema|town)\b"
            # "come to the cinema with me at half term" (a school trip says so and is dropped)
            r"|\b(?:come|go|coming|going)\s+(?:to\s+the\s+\w+|out|shopping|swimming|bowling|"
            r"skating|ice\s+skating)\s+with\s+me\b"
        ),
    ),
    ("PC101", 0.5, re.compile(r"\bmeet\s+me\b|\bkeep\s+in\s+touch\b|\bstay\s+in\s+touch\b")),
    (
        "PC102",
        0.85,
        re.compile(
            r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|snap|snapchat|facetime|ping)\s+me\b"
            r"|\bsend\s+me\s+an?\s+(?:message|dm|pm|text|snap|private\s+message)\b"
            r"|\bdrop\s+me\s+an?\s+(?:message|line|text|dm)\b|\bslide\s+into\s+my\s+dms?\b"
            r"|\bin\s+my\s+dms\b|\bprivate\s+message\b|\bmessage\s+me\s+privately\b"
            r"|\badd\s+me\s+on\s+(?:snap\w*|whatsapp|kik|discord|telegram|signal|wickr|messenger)\b"
            r"|\bmy\s+(?:number|mobile|phone\s+number|personal\s+number|whatsapp|snap\w*|discord)\s+"
            r"is\b|\bhere['’]?s\s+my\s+number\b|\b(?:ring|call)\s+me\s+on\b"
            # "email me" is fine on the school address, not on a personal one
            r"|\be-?mail\s+me\b(?=[^\n]{0,60}?(?:gmail|hotmail|yahoo|outlook|icloud|btinternet|aol|"
            r"live\.|\(at\)|\[at\]|\sat\s+\w+\s*(?:dot|\(dot\))))"
            # a private group: "set up a Discord server just for my class"
            r"|\b(?:set\s+up|made|created|started|opened)\s+(?:a|an|our|my)\s+(?:\w+\s+)?"
            r"(?:discord|whatsapp|snapchat|snap|telegram|signal|insta\w*|tiktok|messenger|kik)\s+"
            r"(?:server|group|chat|account|page|channel)\b"
            # a personal address: "send them to kirsty84@gmail.com", "email me at my gmail"
            r"|\b(?:send|email|e-mail|forward|mail)\s+(?:\w+\s+){0,4}?to\s+[\w.+-]+@(?:gmail|"
            r"googlemail|hotmail|yahoo|outlook|icloud|live|aol|btinternet|me)\b"
            # a chat of one's own: "made a group chat on Messenger", "send your work to me on FB"
            r"|\bi(?:['’]ve|\s+have)?\s+(?:just\s+)?(?:set\s+up|made|created|started)\s+(?:a|an)\s+"
            r"(?:private\s+|secret\s+|new\s+)?group\s*chat\b|\badd\s+you\s+(?:all\s+)?(?:to|on)\s+(?:the\s+|a\s+|my\s+)?(?:group|"
            r"chat|whatsapp|snap\w*|messenger|discord)\b"
            r"|\b(?:send|sending|talk|talking|chat|chatting|message|messaging|speak)\s+(?:\w+\s+){0,3}?"
            r"(?:to|with)\s+me\s+on\s+(?:facebook|fb|messenger|whatsapp|snap\w*|insta\w*|"
            r"tiktok|discord|kik|telegram|signal)\b|\bmy\s+(?:inbox|dms)\s+(?:is|are)\s+(?:always\s+)?"
            r"open\b"
            r"|\b(?:at|on|to)\s+my\s+(?:personal\s+|own\s+)?(?:gmail|hotmail|yahoo|outlook|icloud|"
            r"personal\s+e-?mail|home\s+e-?mail|own\s+e-?mail)\b"
        ),
    ),
    (
        "PC103",
        0.9,
        re.compile(
            r"\b(?:don['’]?t|dont|do\s+not|never)\s+tell\s+(?:your|ur|their|his|her)\s+(?:mums?|"
            r"moms?|mams?|dads?|parents|nan|gran|carers?|family|teachers?|friends)\b"
            r"|\bwhat\s+happens\s+(?:in|on|at)\s+[^.!?\n]{1,40}?\s+stays\s+(?:in|on|at)\b"
            r"|\bno\s+need\s+to\s+tell\s+(?:your|ur)\s+(?:mums?|parents|dads?|family|carers?)\b"
            # "not a word to your parents", "no telling anyone at home", "nobody at home needs to
            # know"
            r"|\bnot\s+a\s+(?:word|peep|whisper)\s+to\s+(?:your|ur|their|the)\s+(?:mums?|dads?|"
            r"parents|family|families|carers?|grown-?ups|nan|gran)\b"
            r"|\b(?:no|don['’]?t|dont|do\s+not|never)\s+(?:telling|tell|mention(?:ing)?|say(?:ing)?\s+"
            r"(?:a\s+word|anything))\s+(?:it\s+|this\s+|that\s+)?(?:to\s+)?(?:anyone|anybody|your\s+"
            r"\w+|the\s+grown-?ups|grown-?ups|the\s+\w+)?\s*at\s+home\b"
            r"|\b(?:nobody|no\s+one|no-one)\s+at\s+home\s+(?:needs|has|have|is\s+allowed|must|"
            r"should)\s+to\s+know\b|\b(?:nobody|no\s+one|no-one)\s+at\s+home\s+(?:must|should)\s+"
            r"know\b"
            r"|\b(?:don['’]?t|do\s+not)\s+(?:have|need)\s+to\s+tell\s+(?:your|ur)\s+(?:mums?|dads?|"
            r"parents|family|carers?)\b"
            r"|\bour\s+(?:little\s+)?secret\b|\bit['’]?ll\s+be\s+our\s+secret\b"
            r"|\bdelete\s+(?:these|this|the|our|those|my|your|all\s+(?:the|our|my|these)|all)\s+"
            r"(?:messages?|texts?|chats?|conversations?|dms?|pics?|photos?|snaps?|pictures?)\b"
            r"|\b(?:make\s+sure|remember)\s+(?:to|you)\s+delete\b"
            r"|\bdon['’]?t\s+let\s+(?:anyone|your\s+(?:mum|parents|dad))\s+(?:see|know|find\s+out)\b"
            # "don't want your dad seeing", "if your parents ask ... just say", "you never saw it"
            r"|\b(?:don['’]?t|do\s+not)\s+want\s+(?:your|ur)\s+(?:mums?|dads?|parents|family|carers?|"
            r"teachers?)\s+(?:seeing|to\s+see|knowing|to\s+know|finding\s+out|to\s+find\s+out)\b"
            r"|\bif\s+(?:your|ur)\s+(?:mums?|dads?|parents|family|carers?)\s+asks?\b[^.!?\n]{0,50}?"
            r"\bjust\s+say\b|\byou\s+never\s+saw\s+(?:it|this|that|me)\b"
            # no trace: "clear your chat history", "disappearing messages so nothing is saved"
            r"|\b(?:clear|wipe|delete)\s+(?:your|our)\s+(?:chat|message|messages|dm|whatsapp)\s+"
            r"history\b|\b(?:use|turn\s+on|switch\s+on|put|set|keep)\s+(?:the\s+|on\s+)?"
            r"disappearing\s+messages\b|\bso\s+(?:nothing|no\s+messages?)\s+(?:is|are|gets?)\s+saved\b"
            r"|\bno\s+need\s+to\s+tell\s+(?:school|the\s+school|anyone|your\s+teachers?)\b"
        ),
    ),
    (
        "PC103",
        0.75,
        re.compile(
            r"\b(?:don['’]?t|dont|do\s+not|never)\s+tell\s+(?:anyone|anybody|no\s+one|nobody|"
            r"the\s+others|other\s+teachers)\b"
            r"|\bkeep\s+(?:this|it|that)\s+(?:between\s+(?:us|you\s+and\s+me|ourselves)|"
            r"(?:a\s+)?secret|to\s+yourselves?|quiet)\b"
            r"|\b(?:just\s+)?between\s+(?:you\s+and\s+me|us|ourselves)\b"
            r"|\b(?:nobody|no\s+one|no-one)\s+(?:else\s+)?(?:needs|has|have|is\s+allowed|"
            r"are\s+allowed|gets)\s+to\s+know\b|\byou\s+can\s+trust\s+me\b"
            r"|\bdon['’]?t\s+mention\s+(?:it|this|that)\s+to\s+(?:anyone|anybody|your)\b"
            # "you won't tell your parents", "don't show your mums", "keep it a secret from your
            # families": also said of a surprise for home (a card, a present), so lowered by _TEASER
            r"|\b(?:won['’]?t|wont|will\s+not|not\s+to|don['’]?t|do\s+not|never)\s+(?:ever\s+)?"
            r"(?:tell|show)\s+(?:your|ur)\s+(?:mums?|moms?|dads?|parents|family|families|carers?|nan|"
            r"gran)\b"
            r"|\bkeep\s+(?:\w+\s+){0,3}?(?:a\s+)?secret\s+from\s+(?:your|ur|the|everyone|anyone)\b"
        ),
    ),
    (
        # secrets from the school: "don't tell Mrs Okafor I let you watch a film"
        "PC103",
        0.7,
        re.compile(
            r"\b(?:don['’]?t|dont|do\s+not|never)\s+tell\s+(?:(?:mrs|mr|miss|ms|mx|sir|dr)\.?\s+\w+|"
            r"the\s+(?:head|headteacher|head\s+teacher|deputy|office)|your\s+(?:other\s+)?teachers?|"
            r"anyone\s+at\s+school)\b"
        ),
    ),
    ("PC103", 0.55, re.compile(r"🤐|🤫|\byou\s+know\s+the\s+rules\b")),
)
_OFFICIAL = re.compile(
    r"\b(?:teams|google\s+classroom|classroom|class\s*dojo|dojo|seesaw|tapestry|"
    r"school\s+e-?mail|work\s+e-?mail|school\s+app|satchel|show\s+my\s+homework|firefly|arbor|"
    r"parentmail|weduc|the\s+(?:school\s+)?office|eschools|epraise|school\s+(?:account|page|"
    r"website|channel|youtube)|class\s+page|the\s+school['’]s\s+\w+)\b"
)
# An outing the school runs: "meet at the park for the trip".
_SCHOOL_ORGANISED = re.compile(
    r"\b(?:(?:school|class|year\s?\d+|the|our)\s+trip|coach|register|permission|slips?|residential|visit|lesson|pe|school\s+(?:gate|"
    r"office|hall|field)|staff|teachers|(?:the|your)\s+parents|mums\s+and\s+dads|families|"
    r"grown-?ups|(?:mrs|mr|miss|ms)\s+\w+\s+and\s+(?:i|me)|(?:i|me)\s+and\s+(?:mrs|mr|miss|ms|mx)\s+"
    r"\w+|gala|tournament|fixtures?|competition|festival)\b"
)
_WITH_FAMILY = re.compile(
    r"\bwith\s+my\s+(?:own\s+)?(?:family|husband|wife|partner|kids|children|boys|girls|son|"
    r"daughter|mum|dad|other\s+half|hubby)\b"
)
# "send me your stories there instead of on Seesaw": the school's channel named to be left.
_INSTEAD = re.compile(r"\binstead\s+of\b|\brather\s+than\b|\bnot\s+on\b")
_OUTSIDE = re.compile(
    r"\b(?:outside\s+(?:of\s+)?school|after\s+school|at\s+the\s+weekend|this\s+weekend|in\s+town|"
    r"at\s+the\s+park|tonight|at\s+mine|my\s+(?:house|place|flat)|the\s+cinema|mcdonald['’]?s|"
    r"maccies|costa|starbucks|for\s+a\s+drink|the\s+pub|in\s+the\s+holidays|over\s+(?:the\s+)?"
    r"(?:summer|holidays|half[\s-]term|weekend)|the\s+rec|the\s+beach|bowling|(?:this|on|next)\s+"
    r"(?:saturday|sunday)|(?:saturdays|sundays)|(?:mon|tues|wednes|thurs|fri)days)\b"
)
_TEASER = re.compile(
    r"\b(?:surprises?|spoilers?|big\s+reveal|find\s+out|guess|wait\s+and\s+see|tomorrow|"
    r"announcement|santa|christmas|presents?|gifts?|birthday|cards?|party|leaving\s+do|retir\w+|"
    r"(?:mother|father)['’]?s\s+day|easter|eid|diwali)\b"
)

# --- PC104 ------------------------------------------------------------------------------------
_SEXUAL_LOOKS = re.compile(
    # "hot" and "fit" are the weather and health too: only said of someone ("you're so hot", "looked
    # hot"), or in slang that is plainly about looks ("well fit", "so sexy")
    r"\b(?:look(?:s|ed|ing)?|you['’]?re|you\s+are|they['’]?re|they\s+are|she['’]?s|she\s+is|"
    r"he['’]?s|he\s+is)\s+(?:so\s+|really\s+|that\s+|well\s+|proper\s+|very\s+)?(?:hot|fit|sexy|"
    r"peng|tasty)\b"
    r"|\b(?:so|really|very|well|proper|that)\s+(?:sexy|peng|tasty)\b|\b(?:well|proper)\s+fit\b"
    r"|\b(?:lovely|nice|great|amazing|sexy|long|gorgeous|fit|perfect|cracking)\s+(?:legs|bum|"
    r"bottom|figure|body|bodies|curves|lips|thighs|boobs|chest|arse|ass)\b"
    r"|\b(?:hottie|jailbait|stunner|cleavage|busty|curvy|phwoa+r?h?|sexy\s+little\s+\w+|"
    r"hot\s+little\s+(?:bodies|body|things|thing|girls|boys|bums?))\b"
    r"|\bin\s+(?:your|her|that|those|his)\s+(?:bikinis?|swimsuits?|swimming\s+costumes?|leotards?|"
    r"shorts|crop\s+tops?|tight\w*|leggings|underwear|short\s+skirts?|skirts?)\b"
    r"|\blegs\s+in\s+(?:\w+\s+){0,2}?(?:skirts?|shorts|leggings|tights|leotards?|swimsuits?)\b"
    r"|\bturning\s+into\s+a\s+(?:beautiful|lovely|gorgeous|stunning|pretty)\s+young\s+"
    r"(?:woman|lady|man)\b|\bas\s+(?:hot|fit|sexy)\b"
    r"|\bfill(?:ed|ing)\s+out\b(?!\s+(?:the|a|an|their|your|his|her|my|our|forms?|this|that|these|"
    r"those|it|them|\w+\s+forms?))"
    r"|\b(?:got|has|have|with)\s+(?:the|a|such\s+a|a\s+(?:lovely|great|nice))\s+(?:figure|body|bum|"
    r"legs)\b"
    # bodies growing up: "getting very 'developed'", "better figures than me"
    r"|['‘\"]develop(?:ed|ing)['’\"]"
    r"|\b(?:very|well|so|getting|quite|really|early)\s+develop(?:ed|ing)\s*(?:for\s+(?:her|his|"
    r"their)\s+age|this\s+year|already|now|[,.!?👀😏]|$)"
    r"|\bdeveloping\s+(?:nicely|fast|quickly|early)\s*(?:[,.!?👀😏]|$)"
    r"|\b(?:better|nicer|bigger|great|good)\s+(?:figures?|bodies|body|legs|bums?|boobs|chests?)\s+"
    r"than\b"
    r"|\bmodel(?:ling|ing)?\s+(?:bikinis|swimwear|underwear|lingerie)\b"
    r"|\blook(?:s|ed|ing)?\s+(?:about\s+|at\s+least\s+)?(?:1[6-9]|2\d)\b(?!\s*(?:m|km|minutes|mins))"
    r"|\bwish\s+i\s+(?:was|were)\s+(?:\w+\s+){0,3}younger\b"
    # grown-up bodies and innuendo: "could pass for 18", "womanly figures", "well saucy",
    # "eye candy", "hot bod", "leaving nothing to the imagination", "hottest class"
    r"|\bcould\s+pass\s+for\s+(?:1[4-9]|2\d|an?\s+adult|adults|grown[\s-]ups)\b"
    r"|\b(?:so|very|really|that)\s+well[\s-]developed\b(?!\s+(?:\w+\s+)?(?:skills?|writing|"
    r"vocabulary|language|understanding|sense|ideas?|characters?|plot))"
    r"|\b(?:womanly|shapely|curvy|voluptuous)\s+(?:figures?|bodies|body|shapes?|curves)\b"
    r"|\blook(?:s|ing)?\s+(?:far\s+|way\s+|much\s+|a\s+bit\s+)?too\s+(?:mature|old|grown[\s-]up)\b"
    r"|\b(?:well|so|very|proper|a\s+bit|bit)\s+saucy\b|\beye\s+candy\b"
    r"|\b(?:hot|fit|sexy|nice|great|tidy)\s+bods?\b|\bhottest\s+(?:class|year|girls|boys|kids|"
    r"bunch|lot)\b|\b(?:nothing|little)\s+to\s+the\s+imagination\b|\bstunners\b"
)
_FOOTBALL = re.compile(
    r"\b(?:goals?|strikes?|shots?|match|scored?|saves?|free[\s-]kicks?|volleys?)\b"
)
# Remarks on a pupil's size or looks that mock rather than flatter.
_MOCKING_LOOKS = re.compile(
    r"\b(?:so\s+|really\s+|getting\s+|got\s+)?(?:chubb(?:y|ier|iest)|fat(?:ter|test)?|"
    r"podg(?:y|ier|iest)|tubb(?:y|ier|iest)|pork(?:y|ier)|chunk(?:y|ier)|skinn(?:y|ier|iest)|"
    r"lank(?:y|ier)|spott(?:y|ier)|ugl(?:y|ier|iest)|minging|munter|overweight|lardy|porker)\b"
    r"|\bput\s+on\s+(?:so\s+much\s+|a\s+lot\s+of\s+)?weight\b|\bpiled\s+on\s+the\s+pounds\b"
)
_ATTRACTIVE = re.compile(
    r"\b(?:gorgeous|beautiful|stunning|pretty|cute|adorable|handsome|attractive|good[\s-]looking|"
    r"looked\s+amazing|looking\s+good|a\s+looker|all\s+grown\s+up|so\s+grown\s+up|"
    r"heart-?throb|heartbreaker|break(?:ing)?\s+hearts|model\s+material|like\s+(?:a\s+)?(?:little\s+)?"
    r"dolls?)\b"
    # clothes: "rocking better outfits than me", "best dressed"
    r"|\brocking\s+(?:[\w-]+\s+){0,2}?(?:outfits?|looks?|dress(?:es)?|style)\b|\bbetter\s+(?:outfits?|dress\s+sense|style|wardrobe)\s+than\s+me\b"
    r"|\b(?:dressed\s+better\s+than\s+me|best[\s-]dressed)\b"
    # "cuter now", "the prettiest thing", "grown into their looks", "serving looks"
    r"|\b(?:cuter|cutest|prettier|prettiest|more\s+beautiful|most\s+beautiful|better[\s-]looking|"
    r"serving\s+looks|grown\s+into\s+(?:their|her|his|your)\s+looks)\b"
    r"|\blook(?:s|ed|ing)?\s+(?:so\s+much\s+|much\s+|way\s+|a\s+lot\s+)?older\b"
)
# "so hot" on a summer's day is the weather.
_WEATHER = re.compile(
    r"\b(?:weather|sun|sunny|heat|heatwave|degrees|temperature|boiling|sweltering|scorching|"
    r"humid|sun\s*cream|suncream|ice\s+lolly|ice\s+lollies|classroom|outside|fans?|water|sweaty|"
    r"sweating|pe|running|melting|thirsty|red-faced|windows?|tired|exhausted|puffed|healthy|"
    r"mile|exercise)\b|°"
)
_NOT_LOOKS = re.compile(
    r"\s+(?:idea|ideas|costumes?|display|cards?|pictures?|drawings?|story|stories|songs?|poems?|"
    r"voices?|handwriting|work|effort|performance|singing|dancing|acting|job|goal|save|shot|try|"
    r"results?|writing|artwork|art|paintings?|baking|cakes?|day|time|trip|weather|morning|"
    r"evening|play|show|assembly|concert|nativity|moment|photos?|views?|place|sunset|music|"
    r"teamwork|manners|kindness|behaviour|sound|harmony|harmonies|garden|classroom)\b"
)
_PRETTY_ADVERB = re.compile(r"\s+(?!girl\b|in\b|as\b|today\b|tonight\b|x+\b)[a-z]")
# "looked so pretty at the disco": "pretty" as a word for looks, not "pretty good".
_LOOKS_VERB = re.compile(
    r"\b(?:look(?:s|ed|ing)?|so|very|really|too|how|such\s+a|is|was|are|were)\s+$"
)
_GROUP = re.compile(
    r"\b(?:you\s+all|u\s+all|all\s+of\s+you|(?:you|u)\s+were\s+all|you\s+guys|everyone|everybody|"
    r"all\s+the|the\s+whole)\b"
)
# "some of my Y5 girls", "a couple of the Year 6 girls": a few pupils singled out by their looks.
_SUBSET = re.compile(
    r"\b(?:some|a\s+couple|a\s+few|one|two|three|most|several|half)\s+of\s+(?:those|the|these|my|"
    r"our)\s+(?:\w+\s+){0,2}?(?:girls|boys|lads|kids|children|pupils|students|y\d+s|year\s?\d+s)\b"
)
_ADMIRING = re.compile(r"\b(?:girls|boys|lads|ladies)\b|😍|🔥|🥵|😘|💋|😏|💅|👀")
_ADDRESSEE = re.compile(
    r"\b(?:you|your|you['’]re|she|her|he|his|babe|hun|hunny|sweetie|sweetheart|darling)\b"
)
_ONE_PUPIL = re.compile(
    r"\b(?:an?|one|this|that)\s+(?:\w+\s+)?(?:girl|boy|student|pupil|lad)\s+(?:in|from)\s+"
    r"(?:my|our|year|y\d|the\s+class|class|\d)|\bone\s+of\s+(?:my|our)\s+(?:students|pupils|"
    r"girls|boys|year)"
    r"|\b(?:that|this)\s+little\s+(?:one|girl|boy|lad)\s+(?:in|at|on|with)\b"
)
_SCHOOL_OCCASION = re.compile(
    r"\b(?:prom|leavers['’]?|school\s+disco|your\s+uniform|school\s+uniform|in\s+school|"
    r"year\s+\d+\s+(?:girl|boy)s?|sixth\s+form|sports\s+day|swimming\s+gala|school\s+swimming|"
    r"swimming\s+lessons?|netball|pe\s+(?:lesson|kit)|residential|school\s+trip|nativity|"
    r"non-uniform|world\s+book\s+day|school\s+play|(?:the|our|my)\s+class|daily\s+mile|"
    r"(?:ran|run|running|did|finished|completed)\s+the\s+mile|playtime|golden\s+time)\b"
)
_FAMILY = re.compile(
    r"\bmy\s+(?:(?:little|baby|eldest|youngest|beautiful|gorgeous)\s+)?(?:daughter|son|niece|"
    r"nephew|granddaughter|grandson|goddaughter|godson|girl|boy|girls|boys|baby|wife|husband|"
    r"partner|sister|brother|cousin|bestie|best\s+friend|friend|mum|mam|nan|step-?daughter|"
    r"step-?son)\b|\bhappy\s+birthday\b|\bhappy\s+anniversary\b"
)


# Words each group of patterns needs: Aho-Corasick finds them in one pass, and the (slow) patterns
# and the audience scan run only when one is there.
_WORDS = {
    "PC101": "add friend* request* follow* subscribe meet* hang* come pop grab drink coffee pizza "
    "burger milkshake maccies mcdonald* lift sleepover party hit accept* play* game* gaming join "
    "minecraft roblox fortnite xbox playstation psn discord touch insta* snap* tiktok facebook "
    "fb ig twitter find look sent send* received approv* hit go subscribe* started made set "
    "created launched youtube twitch loads lots cinema going coming should",
    "PC101o": "fancy just take taking took treat* i'll ill join come coming go going",
    "PC102": "dm pm inbox message* msg text* whatsapp snap* facetime ping send drop slide dms "
    "private add number mobile here's here’s ring call email e-mail discord "
    "gmail hotmail yahoo outlook icloud telegram signal messenger kik tiktok insta* group chat "
    "groupchat facebook fb open",
    "PC103": "tell secret* delete* know between trust stays quiet yourself yourselves see rules "
    "🤐 🤫 word peep whisper telling mention* show want say saw history disappearing ask asks "
    "saved",
    "PC104": "hot fit sexy peng tasty legs bum bottom figure body curves lips thighs boobs chest "
    "arse ass hottie jailbait stunner cleavage busty curvy bikini swimsuit swimming leotard "
    "shorts crop tight* leggings underwear skirt young filled weight pounds chubby fat podgy "
    "tubby porky chunky skinny lanky spotty ugly minging munter heartbreaker gorgeous beautiful "
    "stunning pretty cute handsome attractive good-looking looked looker grown "
    "adorable heartthrob heart-throb heartbreaker hearts model doll dolls rocking outfit* "
    "dressed best-dressed wardrobe phwoar phwoah phwoarr developed developing figures bodies "
    "bikinis lingerie swimwear modelling wish younger chubbier chubbiest fatter podgier "
    "tubbier skinnier overweight lardy porker cuter cutest prettier prettiest older stunners "
    "looks bod bods womanly shapely voluptuous mature saucy hottest serving imagination candy "
    "pass well-developed",
}
_GATE = PhraseMatcher(
    (word, rule, False, True) for rule, words in _WORDS.items() for word in words.split()
)


# Pupils the shared audience cues miss. A comment left on a pupil's own post speaks to them:
# "Reply on a pupil's Insta:", "Comment under pupil's TikTok:".
_ON_PUPILS_POST = re.compile(
    r"\b(?:on|under|to)\s+(?:a\s+|my\s+|one\s+of\s+my\s+|an?\s+(?:ex-?|old\s+|former\s+))?"
    r"(?:pupil|student|child|kid)['’]s\s+(?:\w+\s+)?(?:tiktok|insta\w*|selfie|post|photo|pic|"
    r"picture|video|stream|channel|page|story|snap|account|reel|status)\b"
)
# "my lovely class", "Boys in the school football team", "Girls in netball team:"
_MORE_PUPILS = re.compile(
    r"\bmy\s+(?:lovely|amazing|wonderful|fab|fabulous|brilliant|gorgeous|little|special|"
    r"fantastic|favourite|superstar|beautiful)\s+class\b"
    r"|\b(?:boys|girls|lads|kids|children)\s+in\s+(?:the\s+|my\s+|our\s+)?(?:school\s+)?"
    r"(?:football|netball|rugby|cricket|hockey|dance|running|swimming|athletics|gymnastics|"
    r"basketball|rounders|cross[\s-]country|tag\s+rugby)\s+(?:team|squad|club|troupe)\b"
)
# "Parents of 3M: my mobile is ...": the parents are spoken to, not the class.
_PARENTS_OF = re.compile(r"\b(?:parents|mums|dads|families|carers)\s+(?:of|in|from)\s+$")


def _extra_pupils(doc: Document) -> list[Cue]:
    """Pupil audiences the shared cues miss; a comment on a pupil's own post is spoken to them."""
    out = []
    for pattern, strength in ((_ON_PUPILS_POST, 0.9), (_MORE_PUPILS, 0.85)):
        for m in pattern.finditer(doc.lower):
            spoken = pattern is _ON_PUPILS_POST or addressed(doc.text, m.start(), m.end())
            text = doc.text[m.start() : m.end()]
            out.append(
                Cue(m.start(), m.end(), Kind.PUPILS, text, strength, person=True, addressed=spoken)
            )
    return out


@dataclass(frozen=True, slots=True)
class _Audience:
    cue: Cue
    factor: float  # how surely the action is aimed at pupils (0..1)


class PupilContactDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (PC101, PC102, PC103, PC104)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._audience = audience_cues(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        words = _GATE.find(doc.text, doc.lower)
        if not words:
            return
        rules = {hit.value for hit in words}
        lower = doc.lower
        pupils = [
            c
            for c in self._audience.find(doc)
            if c.kind is Kind.PUPILS
            and c.strength > 0
            and not _PARENTS_OF.search(lower, max(0, c.start - 16), c.start)
        ]
        if "'s" in lower or "’s" in lower or " class" in lower or " in " in lower:
            pupils.extend(_extra_pupils(doc))
        if not pupils:
            if "PC104" in rules and _SCHOOL_OCCASION.search(doc.lower):
                # "School swimming gala = so many hot little bodies": pupils, unnamed
                yield from self._appearance(doc, [], sentences(doc.text), words)
            return
        bounds = sentences(doc.text)
        yield from self._actions(doc, pupils, bounds, words)
        if "PC104" in rules:
            yield from self._appearance(doc, pupils, bounds, words)

    def _actions(
        self,
        doc: Document,
        pupils: list[Cue],
        bounds: list[tuple[int, int]],
        words: list[Hit[str]],
    ) -> Iterator[Span]:
        lower = doc.lower
        for key, base, pattern in _ACTIONS:
            rule = key[:5]  # "PC101o": the outings, with gate words of their own
            near = [w for w in words if w.value == key]
            for m in windowed(pattern, lower, near, 40, 70) if near else ():
                if negated(lower, m.start(), 10) and rule != "PC103":
                    continue
                s_start, s_end = sentence_of(bounds, m.start())
                sentence = lower[s_start:s_end]
                if rule != "PC103" and _OFFICIAL.search(sentence) and not _INSTEAD.search(sentence):
                    continue  # "message me on Teams": the school's own channel
                audience = _aimed_at(pupils, m.start(), s_start, s_end)
                if audience is None:
                    continue
                score = base * audience.factor
                if rule == "PC101" and _OUTSIDE.search(sentence):
                    if base < 0.5 and (
                        _SCHOOL_ORGANISED.search(sentence) or _WITH_FAMILY.search(sentence)
                    ):
                        continue  # "I'll be at the park gate at 9 for the trip", "with my family"
                    score = max(score, 0.85 * audience.factor) + 0.05
                if base < 0.9 and rule == "PC103" and _TEASER.search(sentence):
                    score -= 0.25  # "don't tell anyone, big surprise tomorrow!"
                yield self.span(
                    rule,
                    m.start(),
                    m.end(),
                    score,
                    f"'{doc.text[m.start() : m.end()]}' to {audience.cue.text}",
                    doc,
                )

    def _appearance(
        self,
        doc: Document,
        pupils: list[Cue],
        bounds: list[tuple[int, int]],
        words: list[Hit[str]],
    ) -> Iterator[Span]:
        lower = doc.lower
        near = [w for w in words if w.value == "PC104"]
        names: list[Cue] | None = None
        occasion = _SCHOOL_OCCASION.search(lower) is not None
        for pattern, sexual in (
            (_SEXUAL_LOOKS, True),
            (_ATTRACTIVE, False),
            (_MOCKING_LOOKS, False),
        ):
            for m in windowed(pattern, lower, near, 60, 60):
                s_start, s_end = sentence_of(bounds, m.start())
                sentence = lower[s_start:s_end]
                if _FAMILY.search(sentence) or negated(lower, m.start(), 10):
                    continue
                if not sexual and (
                    _NOT_LOOKS.match(lower, m.end())
                    or (
                        m.group() in {"pretty", "cute"}
                        and _PRETTY_ADVERB.match(lower, m.end())
                        and not _LOOKS_VERB.search(lower, max(0, m.start() - 12), m.start())
                    )
                ):
                    continue
                if (
                    sexual
                    and ("hot" in m.group() or "fit" in m.group())
                    and "little" not in m.group()
                    and _WEATHER.search(sentence)
                ):
                    continue  # "Year 5 were so hot on sports day, 30 degrees"
                if m.group().startswith("stunner") and _FOOTBALL.search(sentence):
                    continue  # "some stunners in the match": goals
                if names is None:
                    names = self._audience.names(doc)
                in_sentence = [c for c in pupils if s_start <= c.start < s_end]
                named = [c for c in names if s_start <= c.start < s_end]
                subset = _SUBSET.search(sentence) is not None
                one = bool(named) or subset or _ONE_PUPIL.search(sentence) is not None
                spoken_to = _ADDRESSEE.search(sentence) is not None and any(
                    c.addressed or c.strength >= 0.85 for c in pupils
                )
                group = bool(in_sentence) or _GROUP.search(sentence) is not None
                if _GROUP.search(sentence) and not named and not subset:
                    one = spoken_to = False  # "you all looked stunning": the class, not one pupil
                if sexual and (one or spoken_to or group):
                    score = 0.9
                elif sexual and (pupils or occasion):
                    score = 0.8  # pupils named in the sentence before, or a school occasion
                elif one or spoken_to:
                    score = 0.75
                elif group and _ADMIRING.search(lower, s_start, s_end + 25):
                    score = 0.6  # "Year 6 girls you all looked GORGEOUS 😍"
                elif group:
                    score = 0.4  # "the class looked smart for the photo": not about one pupil
                else:
                    continue
                if score < 0.5 and not (one or spoken_to) and _SCHOOL_OCCASION.search(sentence):
                    score = 0.45
                target = (named or in_sentence or pupils)[0].text if pupils else "pupils"
                yield self.span(
                    "PC104",
                    m.start(),
                    m.end(),
                    score,
                    f"'{doc.text[m.start() : m.end()]}' about a pupil ({target})",
                    doc,
                )


def _aimed_at(pupils: list[Cue], pos: int, s_start: int, s_end: int) -> _Audience | None:
    """The pupil audience an action at ``pos`` is aimed at, and how surely."""
    best: _Audience | None = None
    for cue in pupils:
        same = s_start <= cue.start < s_end
        near = abs(cue.start - pos) <= 120
        if cue.addressed and (same or near):
            factor = 1.0 if cue.strength >= 0.75 else 0.95
        elif same:
            factor = 0.95 if cue.strength >= 0.75 else 0.8
        elif cue.addressed or cue.strength >= 0.85:
            factor = 0.8
        else:
            continue
        if cue.strength < 0.5 and not cue.addressed:
            factor -= 0.2
        if best is None or factor > best.factor:
            best = _Audience(cue, factor)
    return best
