"""Words around a name that say what it is: a title or a relative before it (an adult), a
determiner or a verb next to it (an ordinary word), a place word (a place or a club)."""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


TITLES = word_set(
    """mr mrs miss ms mx dr doctor prof professor sir dame lord lady rev revd reverend father
    fr sister uncle aunt auntie aunty nan nana nanna nanny grandma grandad granddad grandpa granny
    gran grandmother grandfather prince princess king queen saint st coach captain capt cllr
    councillor sgt sergeant officer pc president pope chef judge dj mc madam madame señor
    senor signor herr frau"""
)


# Words just before a name that make the person an adult, a relative or a pet, not a pupil.
ADULT_BEFORE = word_set(
    """son daughter husband wife partner boyfriend girlfriend fiance fiancee hubby mum mom mam
    mummy mommy dad daddy mother brother niece nephew cousin grandson granddaughter grandchild
    stepson stepdaughter stepmum stepdad friend bestie bff mate pal colleague colleagues neighbour
    boss head headteacher headmistress headmaster deputy teacher ta senco governor governors
    caretaker cleaner chair manager principal bursar dog cat puppy kitten pup horse pony hamster
    rabbit bunny pet guineapig goldfish baby babies twins"""
)


ADULT_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:[,(–—-]\s*)?(?:who\s+is\s+|is\s+)?(?:(?:our|my|the|their|his|her|a)\s+)?"
    r"(?:(?:new|lovely|amazing|brilliant|fab|fabulous|wonderful|old|former|acting|dear|best)\s+)?"
    r"(?:deputy|head\s?teacher|headmistress|headmaster|head\s+of|assistant\s+head|head|"
    r"teacher|teaching\s+assistant|ta|senco|governor|caretaker|colleague|receptionist|"
    r"business\s+manager|office\s+manager|bursar|chair\s+of|lunchtime\s+supervisor|"
    r"dinner\s+lady|cleaner|husband|wife|partner|boyfriend|girlfriend|mum|dad|mother|father|"
    r"sister|brother|daughter|son|niece|nephew|cousin|grandson|granddaughter|friend|bestie|"
    r"neighbour|boss|grandma|grandad|nan|mp|councillor|cllr|vicar|coach|manager|"
    r"dog|cat|puppy|kitten|pony|hamster|rabbit)(?![\w'’])"
)


# Before a common-word name these make it a word ("the roses", "so much joy", "what a joy").
DETERMINERS = word_set(
    """the a an some this that these those every each no any such what how so very too more
    most much less its their another"""
)


# After a name that is also a verb or modal these make it the verb ("Will you", "Mark the books").
VERB_NEXT = word_set(
    """i you we they he she it there this that these those anyone anybody everyone everybody
    someone somebody u ya ye y'all the a an my your our his her their its some any all every each
    no not be been have has do get go need make take see let never always also just probably
    definitely still now soon only really try keep come look give send bring put on off up down
    out over away back me him them us yourself yourselves itself everything anything something
    nothing tomorrow tonight later next"""
)


# Before a name that is also a verb these make it the verb ("I will", "to mark", "we'll hope").
VERB_PREV = word_set(
    """i you we they he she it who which u to will would could should must might may can cannot
    can't won't don't didn't also just always never not please ll d let lets let's"""
)


PLACE_PREP = word_set(
    """in to from at into visit visiting visited via near around across towards toward through
    trip holiday flight flew fly flying drove drive driving live lives lived living moved support
    supports supporter fan fans beat beating beaten against vs versus v"""
)


# After a place-like name, words that make it the place, club or brand ("the Paris trip").
PLACE_NEXT = word_set(
    """trip trips holiday holidays match game games fans fan shirt shirts kit hotel beach flight
    flights airport street road station city centre tour visit stadium team squad manager
    players won lost beat drew nil"""
)


# Before "to", words that make the name after it a person ("well done to Will", not "to will").
TO_PERSON = word_set(
    """done out congratulations congrats thanks thank goodbye bye hello hi love welcome sorry
    said talked spoke wrote gave give read award awarded goes went certificate prize"""
)


# Before "to", words that make the name after it a place ("trip to Paris", not "well done to").
MOTION = word_set(
    """go goes going went gone trip trips holiday holidays flight flights flew fly flying move
    moved moving drive drove travel travelled travelling visit visits journey way back off
    return returned heading head train ferry coach welcome"""
)


# After a name at the start of a sentence, verbs that show it is a person doing something. Not
# "is", "was" or "has": "Summer is here", "Hope was fading".
PERSON_NEXT = word_set(
    """did got gets won wins scored made makes read reads wrote writes came comes said says loved
    loves asked told tells brought finished managed completed achieved earned received tried
    worked played sang danced ran fell cried smiled helped showed painted built learned learnt
    remembered forgot needs needed wanted wants finally went joined left started gave took
    passed failed struggled hated can't couldn't didn't doesn't isn't wasn't hasn't hit kicked
    pushed swore refused spent moved lost found walked sat stood bit threw shouted screamed
    climbed wet thinks thought knows knew became"""
)


# A capitalised word after a forename that does not make it someone else's full name.
NEXT_OK = word_set(
    """i and or but year yr reception nursery class set group form today yesterday tonight this
    in on at from of for with is was has had"""
)


# Surname particles: not matched on their own as part of a surname.
PARTICLES = word_set("de da di do du del della der den van von la le el al bin bint ibn st")


COSTUME = re.compile(
    r"(?:\bas|\bplay(?:ed|ing|s)?|\bcast\s+as|\bcharacter\s+of|\bpart\s+of|\brole\s+of)\s*$"
)


COSTUME_WORDS = word_set("as play played playing plays of")  # "dressed as Elsa", "part of Mary"
