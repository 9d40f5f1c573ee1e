"""Synthetic name lists: common British given and family names, written for this project.

No real person's record is used; the lists are ordinary names, combined at random.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Names from a block of text; an underscore stands for a space."""
    return tuple(dict.fromkeys(w.replace("_", " ") for w in text.split()))


GIVEN_F = _words(
    """
Amelia Olivia Isla Emily Ava Jessica Ruby Grace Sophie Chloe Lily Mia Ella Evie Charlotte
Lucy Megan Ellie Isabelle Holly Katie Freya Erin Millie Poppy Daisy Abigail Hannah Amy
Lauren Rebecca Rachel Gemma Karen Sarah Emma Laura Nicola Michelle Donna Joanne Claire Lisa
Kelly Stacey Jodie Leanne Samantha Susan Julie Deborah Angela Carol Margaret Patricia
Elizabeth Jean Christine Helen Caroline Alison Kathryn Victoria Jennifer Natalie Zoe
Kayleigh
"""
)
GIVEN_M = _words(
    """
Oliver Jack Harry Jacob Charlie Thomas George Oscar James William Noah Alfie Joshua Leo
Ethan Logan Dylan Riley Mason Jayden Callum Kyle Liam Connor Lewis Ryan Jordan Bradley
Daniel Matthew Christopher Andrew David Michael Steven Paul Mark Richard Robert John Peter
Gary Stephen Kevin Darren Craig Lee Dean Wayne Jason Neil Ian Anthony Simon Martin Graham
Keith Alan Brian Colin Derek Philip Stuart Shaun Adam Benjamin Samuel Nathan Aaron Jamie
"""
)
FAMILY = _words(
    """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans
Walker White Roberts Green Hall Wood Jackson Clarke Harrison Armstrong Graham Bell Dixon
Irving Little Nicholson Richardson Atkinson Robson Moffat Fisher Holliday Tyson Bowman
Hodgson Stephenson Wilkinson Sewell Teasdale Rigg Thwaite Birkett Dalton Ashby Routledge
Telford Elliott Bragg Hetherington Lowther Kirkbride Pattinson Storey Parker Dobson Ritson
Heslop Brough Scott Murray Carr Potts Watson Kelly Reid Burns Dodd Nixon Fletcher Harker
Johnston Noble Pearson Rowe Sharp Slater Steel Sowerby Todd Ward Walton Watt Wallace Clark
Lewis Hughes Edwards Turner Hill Moore Cooper Morris King Baker Lee Harris Martin Allen
Young Mitchell Anderson Cook Morgan Bennett Shaw Holmes Mills
"""
)
# Known short forms and spellings, both directions are treated as variants of each other.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Jayden": ("Jaden", "Jaiden"),
    "Steven": ("Steve", "Stephen"),
    "Stephen": ("Steve", "Steven"),
    "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris",),
    "Matthew": ("Matt",),
    "Daniel": ("Dan", "Danny"),
    "Andrew": ("Andy",),
    "David": ("Dave",),
    "Robert": ("Rob", "Bob"),
    "Richard": ("Rich", "Dick"),
    "Anthony": ("Tony",),
    "Joshua": ("Josh",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Thomas": ("Tom", "Tommy"),
    "William": ("Will", "Bill"),
    "James": ("Jim", "Jamie"),
    "Jacob": ("Jake",),
    "Nathan": ("Nat",),
    "Philip": ("Phil",),
    "Kevin": ("Kev",),
    "Shaun": ("Shawn", "Sean"),
    "Callum": ("Calum",),
    "Elizabeth": ("Liz", "Beth"),
    "Katie": ("Katy", "Kate"),
    "Kathryn": ("Kathy", "Kate"),
    "Rebecca": ("Becky", "Becca"),
    "Samantha": ("Sam", "Sammy"),
    "Jessica": ("Jess",),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jenny", "Jen"),
    "Margaret": ("Maggie", "Peggy"),
    "Deborah": ("Debbie", "Debra"),
    "Patricia": ("Pat", "Trish"),
    "Christine": ("Chris", "Chrissie"),
    "Isabelle": ("Isabel", "Izzy"),
    "Abigail": ("Abbie", "Abby"),
    "Charlotte": ("Charlie", "Lottie"),
    "Nicola": ("Nicky", "Nikki"),
    "Kayleigh": ("Kayley", "Kaylee"),
    "Zoe": ("Zoey",),
    "Millie": ("Milly",),
}

STREETS = _words(
    """
Mill_Road Church_Street Station_Road Main_Street Fell_View Beck_Side Castle_Street
Victoria_Road Queen_Street King_Street High_Street Market_Place Chapel_Lane Lowther_Street
Scotch_Street Botchergate Stricklandgate Highgate Duke_Street Lonsdale_Street Oxford_Street
Harbour_View Moor_Road Meadow_Close Eden_Mount Greystone_Road Park_Avenue Springfield_Road
Brook_Street Ash_Grove Rowan_Close Willow_Drive Oak_Crescent Birch_Way Holme_Lane Tarn_Close
Ghyll_Road Pike_View Crummock_Avenue Derwent_Street Solway_Road Lune_Street
"""
)
