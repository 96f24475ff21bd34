"""Allegations about identifiable people connected with the school (AL101).

An allegation is an accusation (theft, fraud, lying, fixing results, an affair, being drunk or on
drugs at work, hurting a child, abuse, bullying staff, "is a nonce") whose subject is someone the
reader can identify: a named colleague, a role ("the caretaker", "our business manager", "a TA in
Year 2"), a parent at the school or the school itself. The subject is the nearest person before the
accusation in the same sentence (or, for "he"/"she", the colleague named just before), so that "a
man was arrested in town", "I stole a chip" and "my son lied to me" stay quiet. Posts about TV,
books or the news are left alone, and hypotheticals ("if a teacher hit a child") are marked down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    Kind,
    Other,
    PhraseMatcher,
    Subject,
    negated,
    other_people,
    read_lexicon,
    sentence_of,
    sentences,
    subject_of,
    windowed,
    workplace_cues,
)

AL101 = Rule(
    code="AL101",
    name="allegation-about-person",
    message="An allegation about someone connected with the school",
    what="Accusations of crime, abuse or dishonesty about a colleague, a parent, a named person, "
    "a role at the school or the school itself.",
    example="Apparently our business manager has been fiddling the expenses for years.",
    instead="If you have a concern about a colleague's conduct, I'd raise it through the proper "
    "channels, not online.",
    fix="Delete the allegation. Report concerns about conduct to the headteacher (or, about the "
    "headteacher, to the chair of governors or the LADO) through the whistleblowing policy.",
)

_CHILD = (
    r"(?:an?|the|one\s+of\s+(?:the|our|my|his|her)|this|that|some|two|three|several|our|his|her|"
    r"their)?\s*(?:\w+\s+)?(?:child|children|kid|kids|pupil|pupils|boy|boys|girl|girls|student|"
    r"students|little\s+ones?|toddlers?|bab(?:y|ies)|lads?|year\s?\d{1,2}s?|y\d{1,2}s?)\b"
    r"(?!['’]s?\s+(?:attention|interest|imagination|hands?|work|books?|ball|bags?|coats?))"
)

# (label, strength, pattern). Each pattern is searched in doc.lower.
_ACCUSATIONS: tuple[tuple[str, float, str], ...] = (
    (
        "theft",
        0.85,
        r"\b(?:steal(?:s|ing)?|stole|stolen|nick(?:s|ed|ing)|pinch(?:es|ed|ing)|pocket(?:s|ed|ing)|"
        r"swip(?:e|es|ed|ing)|embezzl\w*|pilfer\w*)\s+(?:\w+\s+){0,3}?(?:from\s+(?:the\s+)?"
        r"(?:school|pta|tuck\s+shop|budget|kids|children|pupils|parents|charity|trip|office|staff|"
        r"petty|collection|fund|float|tills?)|money|cash|funds|the\s+(?:money|funds|takings|float|"
        r"budget)|petty\s+cash|laptops?|ipads?|equipment|donations|tips|dinner\s+money|"
        r"trip\s+money)"
        r"|\b(?:has|have|had|was|were|is|are|been|caught|keeps?|kept)\s+(?:been\s+)?(?:stealing|"
        r"nicking|pilfering|embezzling)\b(?!\s+(?:the\s+show|hearts?|my\s+heart|the\s+limelight|"
        r"a\s+kiss|my\s+thunder))"
        r"|\b(?:a\s+)?(?:thief|thieves|thieving|light-fingered)\b"
        r"|\bembezzl\w*"
        r"|\bhelp(?:s|ed|ing)?\s+(?:him|her|them)sel(?:f|ves)\s+to\s+(?:the\s+)?(?:(?:trip|pta|"
        r"school|charity|dinner|club|tuck\s+shop|raffle)\s+)?(?:money|cash|funds|budget|petty|"
        r"takings|float|donations)"
        # "selling the school's old laptops on eBay"
        r"|\b(?:sell(?:s|ing)?|flog(?:s|ging)?)\s+(?:off\s+)?(?:the\s+)?school['’]s\s+(?:\w+\s+){0,2}?(?:laptops?|"
        r"ipads?|tablets?|equipment|computers?|kit|stock|books|furniture|instruments?)"
        r"|\b(?:sold|flogged)\s+(?:off\s+)?(?:the\s+)?school['’]s\s+(?:\w+\s+){0,2}?(?:laptops?|ipads?|"
        r"tablets?|equipment|computers?|kit|stock|books|furniture|instruments?)"
        # "the PTA float was always £40 short whenever she counted it"
        r"|\b(?:float|takings|tin|kitty|till|cash\s+box|collection|petty\s+cash)\s+(?:was|were|"
        r"is|came\s+up|comes\s+up|keeps\s+coming\s+up|always|somehow|mysteriously|\s)+"
        r"(?:£\s?[\d,.]+\s+)?short\s+(?:when|whenever|every\s+time|each\s+time|after)\b"
        # idioms: "had her hand in the till", "dipping into the trip money", "skimming off the top"
        r"|\b(?:hands?|fingers?|paws|mitts)\s+in\s+the\s+(?:[\w-]+\s+){0,2}?(?:till|tin|cash\s+box|petty\s+cash|"
        r"cookie\s+jar|biscuit\s+tin|kitty|collection|float|honey\s+pot)"
        r"|\bdip(?:s|ped|ping)?\s+(?:into|in)\s+(?:the\s+)?(?:school\s+|pta\s+|trip\s+|charity\s+|"
        r"tuck\s+shop\s+)?(?:funds|budget|petty\s+cash|till|kitty|money|takings|float|collection|"
        r"accounts?)"
        r"|\bskim(?:s|med|ming)?\s+(?:money\s+|cash\s+)?off\s+(?:the\s+)?(?:budget|takings|"
        r"funds|trip\s+money|pta|float|collection)"
        r"|\bpocket(?:s|ed|ing)\s+(?:it|the\s+(?:difference|rest|lot|change|money|cash))\b"
        r"|\b(?:sticky[\s-]fingered|sticky\s+fingers)\b"
        r"|\b(?:money|cash|funds|takings|deposits?|donations|the\s+float|the\s+kitty|"
        r"£\s?[\d,.]+k?)\s+(?:\w+\s+){0,2}?(?:(?:went|goes|has\s+gone|have\s+gone|had\s+gone|"
        r"keeps\s+going|going)\s+(?:missing|walkabout|astray|awol|west)\b|(?:mysteriously\s+)?"
        r"(?:disappeared|vanished|walked\s+out\s+of\s+the\s+door))",
    ),
    (
        "fraud",
        0.85,
        r"\bfraud(?:ster|sters|ulent\w*)?\b(?!\s+(?:awareness|training|prevention|alert|team|"
        r"department|squad|call|text|email))"
        r"|\bcook(?:ing|ed|s)?\s+the\s+books"
        r"|\bfiddl(?:e|es|ed|ing)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:books|expenses|accounts|"
        r"figures|budget|data|results|register|attendance|numbers|mileage|timesheets?|overtime)"
        r"|\bbackhanders?\b|\bkickbacks?\b|\bbrib(?:e|es|ed|ing|ery)\b|\bcorrupt(?:ion)?\b"
        r"|\bmisus(?:e|es|ed|ing)\s+(?:of\s+)?(?:school\s+|the\s+|public\s+)?(?:funds|money|budget|"
        r"pupil\s+premium)"
        r"|\bsiphon\w*\s+(?:off\s+)?(?:money|funds|cash)|\bcreaming\s+off|\bmoney\s+laundering"
        r"|\bfalse\s+(?:claims|expenses|references|invoices)"
        r"|\bforg(?:ed|ing|es)\s+(?:a\s+|the\s+|his\s+|her\s+|their\s+)?(?:signatures?|documents?|"
        r"references?|records?|certificates?|qualifications?|sick\s+notes?)"
        r"|\bfalsif(?:y|ies|ied|ying)\b|\bon\s+the\s+fiddle\b"
        r"|\bmoney\s+(?:has|have|had)\s+(?:gone\s+)?(?:missing|walkabout)\b",
    ),
    (
        "dishonesty",
        0.8,
        r"\b(?:is|are|was|were|been|keeps?|kept)\s+lying\b(?!\s+(?:on|in|down|around|there|awake|"
        r"low|flat|face|next|under|by|beside|asleep|about\s+in))"
        r"|\blying\s+(?:to|through)\b|\blied\s+(?:to|about|through|on)\b"
        r"|\bliars?\b|\blies\s+through\s+(?:his|her|their)\s+teeth|\bdishonest\b"
        r"|\b(?:covered|covering|covers?|hushed|hushing|hush)\s+(?:it|this|that|things|everything|"
        r"the\s+(?:whole\s+)?(?:thing|incident|accident|complaint|allegation|injury|report|"
        r"bullying|truth|facts?|mess|lot))\s+up\b(?!\s+(?:with|in|using|under|from|against|"
        r"before|so|to\s+keep))"
        r"|\b(?:covered|covering|covers?|hushed|hushing)\s+up\s+(?:what|the\s+(?:whole\s+)?"
        r"(?:thing|incident|accident|complaint|allegations?|injury|injuries|report|bullying|truth|"
        r"facts?|mess|abuse|assault|fight|fact|story|evidence|damage|concerns?|data|figures|losses|"
        r"overspend|deficit)|an?\s+(?:incident|accident|complaint|allegation|injury|assault)|"
        r"for\s+(?:him|her|them|each\s+other)|everything|it\b|this\b|that\b)"
        r"|\bcover-?ups?\b|\bhush(?:ed|ing)\s+(?:it\s+|this\s+|things\s+)?up\b"
        r"|\b(?:swept|sweep(?:s|ing)?)\s+(?:\w+\s+){0,3}?under\s+the\s+(?:carpet|rug)"
        r"|\bburi(?:ed|es)\s+(?:the|a|her|his|their|my|our)\s+(?:complaint|report|allegation|"
        r"incident|concerns?|evidence|grievance|findings)"
        r"|\b(?:lied|lying|fibbed)\s+on\s+(?:his|her|their)\s+(?:cv|application|references?)"
        r"|\bfake\s+(?:qualifications?|degree|references?|sick\s+notes?|receipts|invoices)",
    ),
    (
        "fixing results",
        0.85,
        r"\b(?:fix(?:es|ed|ing)?|rig(?:s|ged|ging)?|fiddl(?:e|es|ed|ing)|doctor(?:s|ed|ing)?|"
        r"massag(?:e|es|ed|ing)|inflat(?:e|es|ed|ing)|chang(?:e|es|ed|ing)|alter(?:s|ed|ing)?|"
        r"fudg(?:e|es|ed|ing)|cook(?:s|ed|ing)?|manipulat(?:e|es|ed|ing)|tamper(?:s|ed|ing)?\s+with|"
        r"(?:mak(?:e|es|ing)|made|bump(?:s|ed|ing)?|pad(?:s|ded|ding))\s+up)\s+(?:the\s+|their\s+|"
        r"our\s+|its\s+|his\s+|her\s+|pupils['’]?\s+|the\s+kids['’]?\s+|children['’]?s?\s+)?"
        r"(?:(?:sats|test|exam|attendance|absence|exclusion|progress|phonics|assessment|behaviour|"
        r"ks[12]|year\s?\d|teacher\s+assessment|end\s+of\s+year|school)\s+)?(?:results|scores|"
        r"marks|grades|answers|papers|scripts|data|sats|assessments?|figures|numbers|registers?|"
        r"stats|statistics|records|levels|predictions)\b"
        r"|\bmark(?:s|ed|ing)?\s+(?:the\s+|their\s+|her\s+|his\s+)?(?:[\w'’-]+\s+){0,3}?(?:papers|"
        r"tests|scripts|assessments)\s+up\b"
        r"|\bcheat(?:s|ed|ing)?\s+(?:on|in|at|with)\s+(?:the\s+)?(?:sats|exams?|tests?|phonics|"
        r"moderation|inspections?|ofsted|assessments?|results|data)\b"
        r"|\boff-?roll(?:s|ed|ing)?\b|\bgam(?:e|es|ed|ing)\s+the\s+(?:system|data|results|"
        r"league\s+tables)"
        r"|\b(?:did|doing|does|do)\s+the\s+(?:sats|tests?|papers?|coursework)\s+for\s+(?:them|"
        r"the\s+kids|the\s+children|pupils)"
        r"|\bhelp(?:s|ed|ing)?\s+(?:the\s+kids|them|the\s+children|pupils)\s+(?:cheat|with\s+"
        r"(?:the\s+)?answers)|\bexam\s+malpractice|\bmaladministration",
    ),
    (
        "an affair",
        0.8,
        r"\bhaving\s+an\s+affair\b|\ban\s+affair\s+with\b"
        r"|\bcheat(?:s|ed|ing)?\s+on\s+(?:his|her|their)\s+(?:wife|husband|partner|missus|fella|"
        r"girlfriend|boyfriend|fianc[eé]e?)"
        r"|\b(?:sleeping|slept|sleeps)\s+with\s+(?:the|a|one|our|mr|mrs|ms|miss|his|her|[a-z]+['’]s)\b"
        r"|\bshagg(?:ing|ed)\b|\bbonking\b|\bcarrying\s+on\s+with\b|\bgetting\s+it\s+on\s+with\b"
        r"|\bhaving\s+it\s+off\s+with\b|\bknocking\s+(?:him|her|them)?\s*off\b|\bplaying\s+away\b"
        r"|\b(?:having\s+)?a\s+(?:fling|thing|secret\s+relationship)\s+with\b|\bhooking\s+up\s+with\b"
        r"|\bsleeping\s+together\b"
        r"|\bdoes\s+(?:your|his|her|their)\s+(?:wife|husband|missus|partner|fella|other\s+half|"
        r"girlfriend|boyfriend)\s+know\b(?!\s+(?:where|what|how|when|which|who|why|if|whether|"
        r"the|his|her|their|about\s+the))",
    ),
    (
        "drink or drugs",
        0.8,
        r"\b(?:drunk|pissed|hammered|wasted|sloshed|tipsy|hungover|high|stoned|off\s+(?:his|her|"
        r"their)\s+face)\s+(?:at|in|on|during)\s+(?:work|school|class|the\s+classroom|"
        r"parents['’]?\s+evening|the\s+trip|assembly|sports\s+day|the\s+school|a\s+school|"
        r"the\s+residential|the\s+disco|duty|lessons?|the\s+nativity|the\s+job)"
        r"|\b(?:turn(?:s|ed|ing)?\s+up|came\s+in|comes\s+in|come\s+in|showed\s+up|shows\s+up|"
        r"rolled\s+in)\s+(?:to\s+(?:work|school|(?:the\s+)?(?:parents['’]?\s+evening|"
        r"staff\s+meeting|inset|assembly|sports\s+day|the\s+trip|the\s+disco|the\s+nativity))\s+)?"
        r"(?:(?:absolutely|completely|totally|blind|steaming|rotten|roaring|clearly|still)\s+)*"
        r"(?:drunk|steaming|pissed|hammered|wasted|hungover|"
        r"high|stoned|smelling\s+of|stinking\s+of|reeking\s+of|off\s+(?:his|her|their)\s+face)"
        r"|\b(?:smell(?:s|ed|ing)?|stink(?:s|ing)?|stank|reek(?:s|ed|ing)?)\s+of\s+(?:alcohol|"
        r"booze|drink|wine|beer|vodka|gin|weed|cannabis|pot)\b"
        r"|\bon\s+(?:drugs|coke|cocaine|crack|ketamine|speed|weed|the\s+gear)\b"
        r"|\b(?:takes?|taking|took|doing|does|snort\w*|sniff\w*|smok\w*|deal\w*|sell\w*|sold)\s+"
        r"(?:coke|cocaine|drugs|ketamine|mdma|crack|weed|cannabis|pills)\b"
        r"|\bcoke\s*-?head\b|\bdruggie\b|\bjunkie\b|\bdrug\s+(?:dealer|addict|problem|habit)"
        r"|\b(?:an|is|raging)\s+alcoholic\b|\ba\s+(?:massive\s+|total\s+|raging\s+)?(?:drunk|alky|"
        r"alkie|pisshead|piss-head)\b|\bdrink[\s-]driv\w*|\bover\s+the\s+limit\b"
        r"|\bhigh\s+as\s+a\s+kite"
        # "everyone knows he drinks at lunch", "vodka in her water bottle", "always hungover"
        r"|\b(?:drinks|drinking|drank|boozing|boozes|necking|knocks\s+back|sinks|sinking)\s+"
        r"(?:(?:wine|beer|vodka|gin|cider|lager|prosecco|alcohol|booze|cans|pints|a\s+(?:pint|glass|"
        r"bottle|can|drink))\s+)?(?:at|during|over|in|on)\s+(?:lunch|lunchtime|lunch\s*break|(?:the\s+)?"
        r"school\s+day|work|school|break\s*time|break|(?:the\s+)?trip|duty|the\s+residential|"
        r"the\s+job)\b"
        r"|\b(?:vodka|gin|wine|booze|alcohol|whisky|whiskey|rum|prosecco|cider|lager|beer)\s+in\s+"
        r"(?:his|her|their|the)\s+(?:water\s+bottle|mug|coffee|flask|drawer|desk|car|bag|cupboard|"
        r"locker|cup|coke|tea)"
        r"|\bhip\s*flask\b|\b(?:drink|drinking|alcohol|booze)\s+problem\b"
        r"|\b(?:always|often|usually|still|constantly|clearly|obviously|visibly|blatantly)\s+"
        r"(?:drunk|pissed|hungover|tipsy|stoned|hammered|sloshed)\b",
    ),
    (
        "hurting a child",
        0.9,
        r"\b(?:hit|hits|hitting|slap\w*|punch\w*|smack\w*|kick(?:s|ed|ing)?|shov\w*|grabb?\w*|"
        r"throttl\w*|strangl\w*|assault\w*|attack\w*|manhandl\w*|lash\w*\s+out\s+at|"
        r"thr(?:ew|ows)\s+(?:a\s+|the\s+)?\w+\s+at|shak(?:ing|es|en)|shook)\s+"
        + _CHILD
        + r"(?!\s+out\b)"
        r"|\b(?:was|were|been|got|being)\s+(?:hit|slapped|punched|smacked|kicked|assaulted|"
        r"attacked|grabbed|hurt|abused|manhandled|shoved|shaken)(?=\s+by\b)"
        r"|\b(?:child|sexual|physical)\s+abuse\b"
        r"|\babus(?:e|es|ed|ing)\s+(?:a|the|his|her|their|those|these)?\s*(?:child|children|kids|"
        r"pupils?|boys?|girls?|students?|position|power|trust)\b"
        r"|\babusive\s+(?:to|towards)\s+(?:the\s+)?(?:kids|children|pupils|a\s+child)"
        r"|\bsexually\s+(?:abus\w+|assault\w+)|\bphysically\s+(?:abus\w+|assault\w+)"
        r"|\btouch(?:es|ed|ing)?\s+" + _CHILD + r"\s+(?:inappropriately|up)"
        r"|\binappropriate(?:ly)?\s+(?:with|towards|around)\s+"
        + _CHILD
        + r"|\bgroom(?:s|ed|ing)\s+(?:a|the|one\s+of\s+(?:the|his|her|our))?\s*(?:child|children|"
        r"kids|pupils?|girls?|boys?|students?|her|him)\b"
        r"|\bneglect(?:s|ed|ing)\s+(?:his|her|their|the)\s+(?:kids|children|son|daughter|child)\b"
        r"|\b(?:rough|heavy-handed|too\s+physical)\s+with\s+"
        + _CHILD
        + r"|\bdrag(?:s|ged|ging)\s+"
        + _CHILD
        + r"|\b(?:put(?:s|ting)?|lay(?:s|ing)?|laid)\s+(?:his|her|their)\s+hands\s+on\s+"
        + _CHILD
        + r"|\bpin(?:s|ned|ning)\s+"
        + _CHILD
        + r"\s+(?:against|to|down)\b",
    ),
    (
        "a sexual label",
        0.95,
        r"\b(?:paedo(?:phile)?s?|pedo(?:phile)?s?|nonces?|kidd(?:ie|y)\s+fiddlers?|"
        r"child\s+molesters?|molest(?:s|ed|ing|er|ers)?|sex\s+offenders?|perverts?|pervs?|"
        r"predators?|groomers?)\b"
        r"|\bcreep(?:s|y|ing)?\s+(?:around|with|towards|to|on)\s+(?:the\s+)?(?:\w+\s+)?(?:girls|"
        r"boys|kids|children|pupils|students)\b"
        r"|\b(?:looks|looking|leers?|leering|stares?|staring|ogl\w+)\s+at\s+the\s+(?:\w+\s+)?"
        r"(?:girls|boys)\b"
        r"|\bsexual(?:ly)?\s+harass\w*"
        r"|\b(?:too|very|a\s+bit|weirdly|really)\s+(?:touchy[\s-]feely|handsy)\s+with\b",
    ),
    (
        "bullying",
        0.75,
        r"\b(?:is|was|are|were|such|massive|total|complete|workplace|real|bloody)\s+(?:a\s+)?"
        r"bull(?:y|ies)\b"
        r"|\bbull(?:y|ies|ied|ying)\s+(?:staff|teachers|colleagues|the\s+tas?\b|people|everyone|me|"
        r"us|her|him|them|the\s+(?:new|young|younger|support|junior|female|older)\b|tas\b|"
        r"members\s+of\s+staff|the\s+ect|the\s+nqt|new\s+staff)"
        r"|\bbullied\s+(?:out|off|into)\b|\bhound(?:ed|ing)\s+(?:out|her|him|them)\b"
        r"|\b(?:forced|drove|driven|pushed)\s+(?:her|him|them|staff|people)\s+out\b"
        r"|\bvictimi[sz]\w+|\bharass(?:es|ed|ing)\s+(?:staff|me|us|her|him|them|colleagues)\b"
        r"|\bgaslight\w*",
    ),
    (
        "discrimination",
        0.8,
        r"\b(?:is|are|was|were|being|so|a|bloody|blatantly|openly|total|massive)\s+(?:a\s+)?"
        r"(?:racist|sexist|homophobic|transphobic|misogynist(?:ic)?|bigot(?:ed)?|islamophobic|"
        r"antisemitic|ableist)\b"
        r"|\bdiscriminat(?:es|ed|ing)\s+against\b"
        r"|\b(?:racist|sexist|homophobic|transphobic)\s+(?:comments|remarks|abuse|jokes|language)",
    ),
    (
        "misuse of funds (insinuated)",
        0.7,
        r"\bwhere\s+(?:do\s+you\s+(?:think|reckon)\s+|d['’]?you\s+reckon\s+)?(?:the|all\s+the|that|"
        r"our)\s+(?:money|funds|cash)\s+(?:\S+\s+){0,6}?"
        r"(?:actually\s+|really\s+)?(?:went|goes|has\s+gone)\b",
    ),
    (
        "fiddled accounts (insinuated)",
        0.6,
        r"\b(?:the\s+)?(?:numbers|figures|accounts|books|sums)\s+(?:just\s+)?(?:don['’]?t|do\s+not|"
        r"never|doesn['’]?t)\s+add\s+up\b",
    ),
    (
        "aggression",
        0.7,
        r"\bkick(?:ed|s|ing)\s+off\s+(?:at|in|with|again)\b"
        r"|\bthreaten(?:ed|ing|s)\s+(?:me|us|staff|a\s+teacher|the\s+head|a\s+child|to\s+hit)\b"
        r"|\bpolice\s+(?:came|were\s+called|turned\s+up|arrived|got\s+involved)\b",
    ),
    (
        "a crime",
        0.8,
        r"\b(?:been|was|got|were|being|is|are)\s+(?:arrested|charged\s+with|cautioned|convicted|"
        r"jailed|done\s+for|caught\s+(?:stealing|with|drink)|investigated\s+by\s+(?:the\s+)?police)"
        r"\b|\bcriminal\s+record\b|\bunder\s+police\s+investigation\b|\bon\s+bail\b"
        r"|\bbanned\s+from\s+(?:driving|working\s+with\s+children|teaching)\b"
        r"|\b(?:got|been|was|were|being)\s+(?:nicked|collared|breathalysed|breathalyzed)\b"
        r"|\blost\s+(?:his|her|their)\s+(?:driving\s+)?licence\b|\b(?:did|done|doing|served)\s+"
        r"time\s+(?:for|in|inside)\b|\bpolice\s+record\b",
    ),
    (
        "nepotism",
        0.75,
        # "the chair's nephew got the building contract": insinuated with "funny how", "🙃"
        r"\b(?:nephew|niece|son|daughter|wife|husband|partner|brother|sister|cousin|mate|mates|"
        r"friend|pal|girlfriend|boyfriend|fianc[eé]e?|(?:son|brother|sister|daughter)-in-law|"
        r"golf\s+buddy|drinking\s+buddy)(?:['’]s?\s+(?:\w+\s+)?(?:firm|company|business))?\s+"
        r"(?:\w+\s+)?(?:got|gets|getting|won|wins|was\s+given|were\s+given|has\s+been\s+given|"
        r"landed|bagged|walked\s+into|was\s+handed)\s+(?:the|that|this|a)\s+(?:\w+\s+){0,2}?"
        r"(?:contract|tender|job|post|role|position|promotion|work)\b"
        r"|\bjobs\s+for\s+(?:the\s+boys|(?:his|her|their|the)\s+(?:mates|friends|family|pals))\b"
        r"|\bnepotism\b|\bcronyism\b|\bbrown\s+envelopes?\b",
    ),
)
_ACCUSATION = tuple((label, strength, re.compile(p)) for label, strength, p in _ACCUSATIONS)

# A word (or stem, with "*") that each pattern needs: Aho-Corasick finds them in one pass, and
# only the patterns whose words are there run.
_STEMS: dict[str, str] = {
    "theft": "steal* stole* thie* light-fingered embezzl* pilfer* nick* pinch* pocket* swip* "
    "himself herself themselves till tin kitty float jar collection box petty dip* skim* sticky* "
    "sell sells selling sold flog* short "
    "missing "
    "walkabout astray awol west disappeared vanished walked",
    "fraud": "fraud* cook* fiddl* backhander* kickback* brib* corrupt* misus* siphon* creaming "
    "laundering false forg* falsif* fiddle money",
    "dishonesty": "lying lied liar* lies dishonest* cover* hush* swept sweep* buri* fibbed fake",
    "fixing results": "results scores marks grades answers papers scripts data sats assessment* "
    "figures cheat* off-roll* offroll* system tables coursework malpractice maladministration "
    "numbers register* stats statistics records levels predictions tests",
    "an affair": "affair cheat* sleeping slept sleeps shagg* bonking carrying getting having "
    "knocking playing fling thing relationship hooking know",
    "drink or drugs": "drunk pissed hammered wasted sloshed tipsy hungover high stoned face "
    "steaming smell* stink* stank reek* drugs coke* cocaine crack ketamine speed weed mdma pills "
    "druggie "
    "junkie drug alcoholic alky alkie pisshead piss-head drink* limit cannabis gear boozing "
    "boozes necking knocks sinks sinking drank vodka gin wine booze alcohol whisky whiskey rum "
    "prosecco cider lager beer flask hipflask",
    "hurting a child": "hit hits hitting slap* punch* smack* kick* shov* grab* throttl* "
    "strangl* assault* attack* manhandl* lash* threw throws shak* shook abus* touch* "
    "inappropriate* groom* neglect* abuse hurt rough heavy-handed physical drag* hands pin*",
    "a sexual label": "paedo* pedo* nonce* kiddie kiddy molest* offender* pervert* perv* "
    "predator* groomer* creep* girls boys sexual* touchy handsy",
    "bullying": "bully bullies bullied bullying hound* forced drove driven pushed victimi* "
    "harass* gaslight*",
    "discrimination": "racist sexist homophob* transphob* misogyn* bigot* islamophob* "
    "antisemit* ableist discriminat*",
    "misuse of funds (insinuated)": "money funds cash",
    "fiddled accounts (insinuated)": "add",
    "aggression": "kicked kicks kicking threaten* police",
    "a crime": "arrested charged cautioned convicted jailed done caught investigated criminal "
    "police bail banned nicked collared breathalys* breathalyz* licence served",
    "nepotism": "nephew niece son daughter wife husband partner brother sister cousin mate* "
    "friend pal girlfriend boyfriend fianc* son-in-law brother-in-law sister-in-law "
    "daughter-in-law buddy jobs nepotism cronyism envelope*",
}
_GATE = PhraseMatcher(
    (stem, label, False, True) for label, stems in _STEMS.items() for stem in stems.split()
)
_SUBJECT_KINDS = frozenset(
    {
        Kind.SCHOOL,
        Kind.MANAGEMENT,
        Kind.GOVERNORS,
        Kind.COUNCIL,
        Kind.COLLEAGUES,
        Kind.PARENTS,
    }
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|imagine|what\s+if|suppose|supposing|hypothetically|would\s+you|in\s+case|whether|"
    r"unless|any\s+teacher\s+who|anyone\s+who)\b"
)
_CLEARED = re.compile(
    r"\b(?:falsely|false\s+allegations?|cleared|exonerated|unfounded|malicious|not\s+guilty|"
    r"innocent|wrongly\s+accused)\b"
)
_HYPERBOLE = re.compile(
    r"\b(?:must\s+be|must\s+have\s+been|are\s+they|is\s+(?:he|she)|were\s+they)\s+$"
)
_GOSSIP = re.compile(
    r"\b(?:apparently|rumou?r|allegedly|i\s+heard|word\s+is|gossip|every(?:one|body)\s+knows|"
    r"(?:not|just)\s+saying|funny\s+how|make\s+of\s+that\s+what\s+you\s+will)\b"
)
_REPORTS = re.compile(
    r"\b(?:says?|said|reckons?|thinks?|thought|told\s+(?:us|me|everyone|staff)|claims?|warned|"
    r"worries|worried|fears?|asked|wonders?)\b(?!\s+(?:to|about)\b)"
)
# "I'm not saying he pocketed it": an insinuation, not a denial.
_NOT_SAYING = re.compile(r"\bnot\s+(?:saying|suggesting|accusing|implying|claiming)\b[^.!?]*$")
# A plain "the chair's nephew got the contract" is news; with a wink it is an accusation.
_WINK = PhraseMatcher(
    (w, True, False, False)
    for w in (
        "funny how", "funnily enough", "surprise surprise", "surprise, surprise",
        "nothing to see here", "coincidence", "what a coincidence", "who'd have thought",
        "who would have thought", "no interview", "without interview", "without an interview",
        "wasn't advertised", "wasnt advertised", "never advertised", "not advertised",
        "wasn't even advertised", "just saying", "make of that what you will",
        "draw your own conclusions", "of course", "🙃", "🤔", "👀", "😉", "🙄",
    )
)  # fmt: skip
_NEPOTISM_WORDS = ("nepotism", "cronyism", "jobs", "brown")
_NEPOTISM_NAMED = re.compile(r"nepotism|cronyism|jobs\s+for|brown\s+envelope")
# Accusations that an institution makes ("they covered it up"): "they" may stand for the school.
_INSTITUTIONAL = frozenset({"dishonesty", "fixing results", "fraud"})
_THEY = frozenset({"they", "them", "they're", "they’re", "they've", "they’ve"})
_CONTEXT_KINDS = frozenset(
    {Kind.SCHOOL, Kind.MANAGEMENT, Kind.GOVERNORS, Kind.PUPILS, Kind.PARENTS, Kind.COLLEAGUES}
)


@dataclass(frozen=True, slots=True)
class Allegation:
    """An accusation and whom it is about, in ``doc.norm`` offsets."""

    start: int
    end: int
    score: float
    label: str
    subject: Subject


class AllegationFinder:
    """Finds allegations in a post; shared by AL101 and EM101 (an allegation against the school's
    leaders is also criticism of the employer), so each post is read once."""

    _fiction = PhraseMatcher(
        (row[0], True, False, False) for row in read_lexicon("allegations-fiction.txt")
    )

    def __init__(self, context: ScreeningContext) -> None:
        self._work = workplace_cues(context)

    def find(self, doc: Document) -> tuple[Allegation, ...]:
        """Every allegation in ``doc`` (found once per document: EM101 reads them too)."""
        return doc.shared(self._find_all)

    def _find_all(self, doc: Document) -> tuple[Allegation, ...]:
        return tuple(self._find(doc))

    def _find(self, doc: Document) -> Iterator[Allegation]:
        text, lower = doc.text, doc.lower
        stems = _GATE.find(text, lower)
        if not stems:
            return
        possible = {hit.value for hit in stems}
        if "nepotism" in possible and not (
            _NEPOTISM_NAMED.search(lower) or _WINK.find(text, lower)
        ):
            possible.discard("nepotism")  # "the head's son got the job, so proud": news
        all_cues = self._work.find(doc)
        cues = [
            c
            for c in all_cues
            if c.kind in _SUBJECT_KINDS and (c.person or c.kind is not Kind.PARENTS)
        ]
        school_context = any(c.kind in _CONTEXT_KINDS and c.strength >= 0.5 for c in all_cues)
        if not cues and not school_context:
            return
        found = [
            (label, strength, m)
            for label, strength, pattern in _ACCUSATION
            if label in possible
            for m in windowed(pattern, lower, [h for h in stems if h.value == label])
        ]
        if not found or about_fiction(doc):
            return  # TV, books or the news: "Line of Duty was brilliant, the boss was bent"
        others = other_people(lower, cues)
        bounds = sentences(text)
        for label, strength, m in found:
            if negated(lower, m.start(), 16) and not _NOT_SAYING.search(
                lower, max(0, m.start() - 40), m.start()
            ):
                continue
            if (
                label == "nepotism"
                and not m.group().startswith(_NEPOTISM_WORDS)
                and not _WINK.find(text, lower)
            ):
                continue
            s_start, s_end = sentence_of(bounds, m.start())
            # "I'd love to know where the money went": the author asks; the subject is the
            # person named before
            around = [o for o in others if o.kind != "self"] if "insinuated" in label else others
            subject = subject_of(m.start(), m.end(), cues, around, s_start, lower, far=True)
            if subject is None and label in _INSTITUTIONAL and school_context:
                subject = _institution(m.start(), others, s_start)
            if subject is None or subject.strength < 0.5:
                continue  # "a teacher" is nobody in particular; "a TA in Year 2" is someone
            if subject.end <= m.start() and _REPORTS.search(lower, subject.end, m.start()):
                continue  # "the caretaker says the numbers don't add up": the subject only says it
            score = strength - 0.25 * (1.0 - subject.strength)
            lead = lower[s_start : m.start()]
            if _HYPOTHETICAL.search(lead):
                score -= 0.3
            if _CLEARED.search(lower[s_start:s_end]):
                score -= 0.25
            if _HYPERBOLE.search(lower[max(s_start, m.start() - 24) : m.start()]):
                score -= 0.25  # "SLT must be on drugs"
            if _GOSSIP.search(lower[s_start:s_end]):
                score += 0.05
            yield Allegation(m.start(), m.end(), score, label, subject)


def _institution(pos: int, others: list[Other], s_start: int) -> Subject | None:
    """ "They covered up what happened on the residential": "they", with nobody else named before
    it in the post, stands for the school."""
    before = [o for o in others if o.end <= pos]
    if not before or any(o.kind == "other" for o in before):
        return None
    nearest = before[-1]
    if nearest.start < s_start or nearest.kind != "pronoun":
        return None
    return Subject(nearest.start, nearest.end, "'they' (the school)", 0.55, Kind.SCHOOL)


def about_fiction(doc: Document) -> bool:
    """Whether a post is about TV, books or the news ("Waterloo Road: the head fiddling the
    books!"), where accusations and criticism are about characters."""
    return doc.shared(_mentions_fiction)


def _mentions_fiction(doc: Document) -> bool:
    return bool(AllegationFinder._fiction.find(doc.text, doc.lower))


@lru_cache(maxsize=16)
def allegation_finder(context: ScreeningContext) -> AllegationFinder:
    """The shared :class:`AllegationFinder` for ``context`` (call at detector build time)."""
    return AllegationFinder(context)


class AllegationDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (AL101,)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._finder = allegation_finder(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        found_all = self._finder.find(doc)
        if not found_all:
            return
        bounds = sentences(doc.text)
        for found in found_all:
            subject = found.subject
            s_start, _s_end = sentence_of(bounds, found.start)
            # a subject in an earlier sentence ("Our caretaker... he's been nicking") is named in
            # the reason; the span stays on the accusation
            start = min(subject.start, found.start) if subject.start >= s_start else found.start
            end = max(subject.end, found.end)
            yield self.span(
                "AL101",
                start,
                end,
                found.score,
                f"{found.label} alleged of {subject.text}",
                doc,
            )
