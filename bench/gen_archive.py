#!/usr/bin/env python3
"""Deterministic generator of a synthetic national data.police.uk "street" archive.

    python3 bench/gen_archive.py OUT_DIR --months 36 --rows 10000000 --seed 1
    python3 bench/gen_archive.py OUT_DIR --national --rows 100000000 --seed 1   # 2010-12 .. 2026-10

Writes OUT_DIR/YYYY-MM/YYYY-MM-<force-slug>-street.csv for the 43 territorial forces of England
and Wales plus British Transport Police, with data.police.uk's header, LF line endings, UTF-8
without BOM. The same arguments give byte-identical files (on the same CPython minor version: the
generator relies on random.Random's documented stream, seeded per file from SHA-256 of the
arguments), whatever --jobs is.

The archive is built in OUT_DIR.partial and renamed to OUT_DIR when complete, so an interrupted
run never leaves a half-written archive under OUT_DIR. OUT_DIR must not exist or be empty.

The data is synthetic: counts follow roughly real force sizes and crime-type mix, with a per force
and per crime-type yearly trend and a summer peak, so year-on-year changes are not all zero.
Each street file lists its rows as data.police.uk does (by LSOA name, then crime type, rows
without a location last; --order drawn keeps the order they were drawn in instead).
Two outcome labels containing commas are invented (no real data.police.uk outcome has one) to
exercise quoting; see OUTCOMES below. Crime types carry the label data.police.uk used in the
file's month (the May 2013 and September 2011 scheme changes; see label_for).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import time
from multiprocessing import Pool

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
)

ASB = "Anti-social behaviour"

# (crime type, share of all rows in %). ASB ~25 %, violence ~28 %, the rest ~47 %.
CRIME_TYPES = [
    (ASB, 25.0),
    ("Violence and sexual offences", 28.0),
    ("Other theft", 8.4),
    ("Criminal damage and arson", 8.4),
    ("Shoplifting", 6.0),
    ("Public order", 6.0),
    ("Burglary", 5.5),
    ("Vehicle crime", 5.4),
    ("Drugs", 2.0),
    ("Other crime", 1.3),
    ("Bicycle theft", 1.2),
    ("Theft from the person", 1.2),
    ("Robbery", 1.0),
    ("Possession of weapons", 0.6),
]

# data.police.uk's category scheme by month (FORMATS.md): the 14 types above since May 2013; from
# September 2011 to April 2013, "Violent crime" (later renamed), "Public disorder and weapons"
# (later split into Public order and Possession of weapons) and an Other theft that still held
# bicycle theft and theft from the person; before September 2011 six categories, with the rest of
# crime in "Other crime". Types are drawn from the 14 (so the random stream, and every archive
# ending after April 2013 alone, is unchanged) and relabelled for the month.
SCHEME_2011_09 = {
    "Violence and sexual offences": "Violent crime",
    "Public order": "Public disorder and weapons",
    "Possession of weapons": "Public disorder and weapons",
    "Bicycle theft": "Other theft",
    "Theft from the person": "Other theft",
}
SIX_CATEGORIES = {ASB, "Burglary", "Robbery", "Vehicle crime", "Violent crime", "Other crime"}


def label_for(month: str, crime_type: str) -> str:
    """The label data.police.uk used in `month` for a crime drawn as one of the 14 current types."""
    if month >= "2013-05":
        return crime_type
    old = SCHEME_2011_09.get(crime_type, crime_type)
    if month >= "2011-09" or old in SIX_CATEGORIES:
        return old
    return "Other crime"


# Last outcome category for crime rows (ASB rows have none). The last two are synthetic: real
# outcome labels contain semicolons but no commas; these exist so the archive has quoted outcomes.
OUTCOMES = [
    ("Investigation complete; no suspect identified", 36.0),
    ("Unable to prosecute suspect", 25.0),
    ("Under investigation", 8.0),
    ("Status update unavailable", 5.0),
    ("Local resolution", 3.0),
    ("Awaiting court outcome", 3.0),
    ("Court result unavailable", 3.0),
    ("Offender given a caution", 2.0),
    ("Action to be taken by another organisation", 2.0),
    ("Offender sent to prison", 1.5),
    ("Further investigation is not in the public interest", 1.5),
    ("Formal action is not in the public interest", 1.0),
    ("Further action is not in the public interest", 1.0),
    ("Offender given penalty notice", 0.8),
    ("Offender given community sentence", 0.8),
    ("Offender fined", 0.8),
    ("Suspect charged as part of another case", 0.7),
    ("Offender given suspended prison sentence", 0.5),
    ("Offender given conditional discharge", 0.3),
    ("Defendant found not guilty", 0.3),
    ("Offender given a drugs possession warning", 0.3),
    ("Offender otherwise dealt with", 0.2),
    ("Court case unable to proceed", 0.2),
    ("Defendant sent to Crown Court", 0.1),
    ("Offender deprived of property", 0.1),
    ("Offender ordered to pay compensation", 0.1),
    ("Offender given absolute discharge", 0.05),
    ("Awaiting court outcome, case adjourned", 0.4),  # synthetic, quoted
    ("Court result unavailable, case transferred", 0.2),  # synthetic, quoted
]

# slug, display name, relative size (~thousands of street-level records a year, ASB included),
# centre latitude, centre longitude, spread in degrees, local authorities for LSOA names.
# Welsh forces get W01 LSOA codes, the rest E01.
FORCES = [
    ("avon-and-somerset", "Avon and Somerset Constabulary", 190, 51.30, -2.70, 0.30,
     ["Bristol", "North Somerset", "Bath and North East Somerset", "Mendip", "Sedgemoor", "Taunton Deane"]),
    ("bedfordshire", "Bedfordshire Police", 60, 52.05, -0.45, 0.15, ["Bedford", "Luton", "Central Bedfordshire"]),
    ("cambridgeshire", "Cambridgeshire Constabulary", 80, 52.35, -0.05, 0.25,
     ["Cambridge", "Peterborough", "Huntingdonshire", "Fenland", "East Cambridgeshire"]),
    ("cheshire", "Cheshire Constabulary", 100, 53.20, -2.55, 0.20,
     ["Cheshire East", "Cheshire West and Chester", "Halton", "Warrington"]),
    ("city-of-london", "City of London Police", 9, 51.515, -0.090, 0.006, ["City of London"]),
    ("cleveland", "Cleveland Police", 90, 54.57, -1.22, 0.08,
     ["Middlesbrough", "Hartlepool", "Stockton-on-Tees", "Redcar and Cleveland"]),
    ("cumbria", "Cumbria Constabulary", 40, 54.60, -3.00, 0.35, ["Carlisle", "Allerdale", "Barrow-in-Furness", "South Lakeland"]),
    ("derbyshire", "Derbyshire Constabulary", 100, 53.05, -1.55, 0.25,
     ["Derby", "Chesterfield", "Amber Valley", "Erewash", "High Peak"]),
    ("devon-and-cornwall", "Devon & Cornwall Police", 140, 50.60, -4.20, 0.50,
     ["Plymouth", "Exeter", "Cornwall", "Torbay", "Teignbridge", "East Devon"]),
    ("dorset", "Dorset Police", 55, 50.75, -2.20, 0.20, ["Bournemouth", "Poole", "Weymouth and Portland", "East Dorset"]),
    ("durham", "Durham Constabulary", 70, 54.70, -1.70, 0.15, ["County Durham", "Darlington"]),
    ("dyfed-powys", "Dyfed-Powys Police", 30, 52.10, -3.90, 0.45, ["Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys"]),
    ("essex", "Essex Police", 180, 51.75, 0.55, 0.25,
     ["Southend-on-Sea", "Thurrock", "Basildon", "Chelmsford", "Colchester", "Harlow"]),
    ("gloucestershire", "Gloucestershire Constabulary", 45, 51.85, -2.20, 0.20, ["Gloucester", "Cheltenham", "Stroud", "Forest of Dean"]),
    ("greater-manchester", "Greater Manchester Police", 420, 53.48, -2.24, 0.12,
     ["Manchester", "Salford", "Bolton", "Oldham", "Rochdale", "Stockport", "Tameside", "Trafford", "Wigan", "Bury"]),
    ("gwent", "Gwent Police", 60, 51.65, -3.00, 0.12, ["Newport", "Caerphilly", "Blaenau Gwent", "Torfaen", "Monmouthshire"]),
    ("hampshire", "Hampshire Constabulary", 180, 50.95, -1.30, 0.30,
     ["Southampton", "Portsmouth", "Basingstoke and Deane", "Isle of Wight", "Winchester", "Eastleigh"]),
    ("hertfordshire", "Hertfordshire Constabulary", 100, 51.80, -0.25, 0.15,
     ["Watford", "St Albans", "Stevenage", "Dacorum", "Welwyn Hatfield"]),
    ("humberside", "Humberside Police", 120, 53.70, -0.40, 0.25,
     ["Kingston upon Hull, City of", "East Riding of Yorkshire", "North Lincolnshire", "North East Lincolnshire"]),
    ("kent", "Kent Police", 200, 51.20, 0.75, 0.30,
     ["Medway", "Maidstone", "Canterbury", "Thanet", "Dartford", "Swale", "Ashford"]),
    ("lancashire", "Lancashire Constabulary", 170, 53.80, -2.60, 0.25,
     ["Blackpool", "Blackburn with Darwen", "Preston", "Lancaster", "Burnley", "Wyre"]),
    ("leicestershire", "Leicestershire Police", 110, 52.65, -1.15, 0.20, ["Leicester", "Charnwood", "Hinckley and Bosworth", "Rutland"]),
    ("lincolnshire", "Lincolnshire Police", 60, 53.10, -0.30, 0.35, ["Lincoln", "Boston", "South Kesteven", "East Lindsey"]),
    ("merseyside", "Merseyside Police", 190, 53.41, -2.95, 0.10, ["Liverpool", "Wirral", "Sefton", "Knowsley", "St. Helens"]),
    ("metropolitan", "Metropolitan Police Service", 1100, 51.50, -0.12, 0.15,
     ["Camden", "Westminster", "Lambeth", "Southwark", "Hackney", "Newham", "Tower Hamlets", "Croydon",
      "Barnet", "Ealing", "Brent", "Haringey", "Islington", "Lewisham", "Greenwich", "Enfield"]),
    ("norfolk", "Norfolk Constabulary", 70, 52.65, 1.00, 0.30, ["Norwich", "Great Yarmouth", "King's Lynn and West Norfolk", "Breckland"]),
    ("north-wales", "North Wales Police", 60, 53.10, -3.60, 0.30, ["Wrexham", "Conwy", "Denbighshire", "Flintshire", "Gwynedd"]),
    ("north-yorkshire", "North Yorkshire Police", 60, 54.10, -1.30, 0.35, ["York", "Harrogate", "Scarborough", "Selby"]),
    ("northamptonshire", "Northamptonshire Police", 70, 52.30, -0.85, 0.20, ["Northampton", "Corby", "Kettering", "Wellingborough"]),
    ("northumbria", "Northumbria Police", 190, 55.00, -1.60, 0.20,
     ["Newcastle upon Tyne", "Sunderland", "Gateshead", "North Tyneside", "South Tyneside", "Northumberland"]),
    ("nottinghamshire", "Nottinghamshire Police", 130, 53.05, -1.10, 0.20, ["Nottingham", "Mansfield", "Ashfield", "Gedling", "Broxtowe"]),
    ("south-wales", "South Wales Police", 150, 51.55, -3.45, 0.20,
     ["Cardiff", "Swansea", "Rhondda Cynon Taf", "Bridgend", "Neath Port Talbot", "Merthyr Tydfil"]),
    ("south-yorkshire", "South Yorkshire Police", 190, 53.45, -1.35, 0.15, ["Sheffield", "Rotherham", "Doncaster", "Barnsley"]),
    ("staffordshire", "Staffordshire Police", 100, 52.85, -2.05, 0.20,
     ["Stoke-on-Trent", "Stafford", "Newcastle-under-Lyme", "Cannock Chase", "Tamworth"]),
    ("suffolk", "Suffolk Constabulary", 55, 52.20, 1.00, 0.25, ["Ipswich", "Waveney", "St Edmundsbury", "Suffolk Coastal"]),
    ("surrey", "Surrey Police", 80, 51.25, -0.40, 0.15, ["Guildford", "Woking", "Reigate and Banstead", "Spelthorne", "Elmbridge"]),
    ("sussex", "Sussex Police", 150, 50.95, -0.30, 0.30,
     ["Brighton and Hove", "Crawley", "Hastings", "Eastbourne", "Worthing", "Horsham"]),
    ("thames-valley", "Thames Valley Police", 220, 51.60, -1.00, 0.35,
     ["Oxford", "Reading", "Slough", "Milton Keynes", "Wycombe", "West Berkshire", "Cherwell"]),
    ("warwickshire", "Warwickshire Police", 40, 52.30, -1.55, 0.20, ["Warwick", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon"]),
    ("west-mercia", "West Mercia Police", 120, 52.40, -2.60, 0.35,
     ["Herefordshire, County of", "Shropshire", "Telford and Wrekin", "Worcester", "Wyre Forest"]),
    ("west-midlands", "West Midlands Police", 330, 52.48, -1.90, 0.12,
     ["Birmingham", "Coventry", "Wolverhampton", "Walsall", "Dudley", "Sandwell", "Solihull"]),
    ("west-yorkshire", "West Yorkshire Police", 380, 53.80, -1.65, 0.15, ["Leeds", "Bradford", "Kirklees", "Wakefield", "Calderdale"]),
    ("wiltshire", "Wiltshire Police", 50, 51.35, -1.95, 0.20, ["Swindon", "Wiltshire"]),
    ("btp", "British Transport Police", 75, 52.50, -1.50, 1.20, []),  # located on other forces' LSOAs
]
# The rest of each force's local authorities (2016/17 districts and unitaries), so that the archive
# names about as many as England and Wales have (348 here).
MORE_LAS = {
    "avon-and-somerset": ["South Gloucestershire", "South Somerset", "West Somerset"],
    "cambridgeshire": ["South Cambridgeshire"],
    "cumbria": ["Copeland", "Eden"],
    "derbyshire": ["Bolsover", "Derbyshire Dales", "North East Derbyshire", "South Derbyshire"],
    "devon-and-cornwall": ["Isles of Scilly", "Mid Devon", "North Devon", "South Hams", "Torridge", "West Devon"],
    "dorset": ["Christchurch", "North Dorset", "Purbeck", "West Dorset"],
    "essex": ["Braintree", "Brentwood", "Castle Point", "Epping Forest", "Maldon", "Rochford", "Tendring", "Uttlesford"],
    "gloucestershire": ["Cotswold", "Tewkesbury"],
    "hampshire": ["East Hampshire", "Fareham", "Gosport", "Hart", "Havant", "New Forest", "Rushmoor", "Test Valley"],
    "hertfordshire": ["Broxbourne", "East Hertfordshire", "Hertsmere", "North Hertfordshire", "Three Rivers"],
    "kent": ["Dover", "Gravesham", "Sevenoaks", "Shepway", "Tonbridge and Malling", "Tunbridge Wells"],
    "lancashire": ["Chorley", "Fylde", "Hyndburn", "Pendle", "Ribble Valley", "Rossendale", "South Ribble", "West Lancashire"],
    "leicestershire": ["Blaby", "Harborough", "Melton", "North West Leicestershire", "Oadby and Wigston"],
    "lincolnshire": ["North Kesteven", "South Holland", "West Lindsey"],
    "metropolitan": ["Barking and Dagenham", "Bexley", "Bromley", "Hammersmith and Fulham", "Harrow", "Havering",
                     "Hillingdon", "Hounslow", "Kensington and Chelsea", "Kingston upon Thames", "Merton", "Redbridge",
                     "Richmond upon Thames", "Sutton", "Waltham Forest", "Wandsworth"],
    "norfolk": ["Broadland", "North Norfolk", "South Norfolk"],
    "north-wales": ["Isle of Anglesey"],
    "north-yorkshire": ["Craven", "Hambleton", "Richmondshire", "Ryedale"],
    "northamptonshire": ["Daventry", "East Northamptonshire", "South Northamptonshire"],
    "nottinghamshire": ["Bassetlaw", "Newark and Sherwood", "Rushcliffe"],
    "south-wales": ["Vale of Glamorgan"],
    "staffordshire": ["East Staffordshire", "Lichfield", "South Staffordshire", "Staffordshire Moorlands"],
    "suffolk": ["Babergh", "Forest Heath", "Mid Suffolk"],
    "surrey": ["Epsom and Ewell", "Mole Valley", "Runnymede", "Surrey Heath", "Tandridge", "Waverley"],
    "sussex": ["Adur", "Arun", "Chichester", "Lewes", "Mid Sussex", "Rother", "Wealden"],
    "thames-valley": ["Aylesbury Vale", "Bracknell Forest", "Chiltern", "South Bucks", "South Oxfordshire",
                      "Vale of White Horse", "West Oxfordshire", "Windsor and Maidenhead", "Wokingham"],
    "warwickshire": ["North Warwickshire"],
    "west-mercia": ["Bromsgrove", "Malvern Hills", "Redditch", "Wychavon"],
}
FORCES = [(*f[:6], f[6] + MORE_LAS.get(f[0], [])) for f in FORCES]
WELSH = {"dyfed-powys", "gwent", "north-wales", "south-wales"}

STREET_STEMS = [
    "Smith", "Church", "High", "Station", "Victoria", "Albert", "Queen", "King", "Park", "Mill", "Green",
    "Manor", "New", "Chapel", "School", "North", "South", "West", "Grange", "Alexandra", "York",
    "Windsor", "Springfield", "Orchard", "Stanley", "Kingsway", "Elm", "Oak", "Ash", "Beech", "Cedar",
    "Willow", "Birch", "Holly", "Meadow", "Brook", "River", "Bridge", "Market", "Castle", "Abbey",
    "Priory", "Heath", "Moor", "Hill", "Valley", "Chester", "Derby", "Gordon", "Nelson", "Wellington",
    "Cromwell", "Clarence", "Devonshire", "Cavendish", "Hamilton", "Lansdowne", "Richmond", "Salisbury",
    "Cambridge", "Oxford", "Regent", "Princes", "Cross", "Broad", "Long", "Bell", "Foxglove", "Lime",
    "Sycamore", "Hawthorn", "Primrose", "Rosemary", "Juniper", "Lavender", "Bramble", "Kestrel", "Heron",
    "Tudor", "Lancaster", "Marlborough",
]
# Extra (UTF-8) street names used by the Welsh forces only.
WELSH_STEMS = ["Glyndŵr", "Heol y Frenhines", "Tŷ Gwyn", "Ffordd Llanelwy", "Maes y Dref"]
STREET_SUFFIXES = [
    "Street", "Road", "Lane", "Avenue", "Close", "Way", "Drive", "Grove", "Place", "Crescent", "Gardens",
    "Terrace", "Court", "Mews", "Walk", "Rise", "View",
]
POIS = [
    "Parking Area", "Supermarket", "Petrol Station", "Nightclub", "Shopping Area", "Sports/recreation Area",
    "Further/higher Educational Building", "Police Station", "Hospital", "Conference/exhibition Centre",
    "Theatre/concert Hall", "Bus/coach Station",
]
COMMA_TAILS = ["Car Park", "Shopping Centre", "Retail Park", "Rear Of", "Service Road"]

NO_LOCATION = ",,No Location,,"  # Longitude,Latitude,Location,LSOA code,LSOA name
NO_LOCATION_SHARE = 0.065
DUPLICATE_ID_SHARE = 0.001
COMMA_LOCATION_SHARE = 0.015

# LSOA code ranges: England E01000001..E01033768, Wales W01000001..W01001909 (2011 LSOAs).
ENGLAND_LSOAS = 33768
WALES_LSOAS = 1909


def csv_field(s: str) -> str:
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def derive_seed(*parts) -> int:
    h = hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(h[:16], "big")


def month_list(end: str, months: int) -> list[str]:
    y, m = (int(x) for x in end.split("-"))
    idx = y * 12 + (m - 1)
    out = []
    for k in range(idx - months + 1, idx + 1):
        out.append(f"{k // 12:04d}-{k % 12 + 1:02d}")
    return out


def lsoa_ranges() -> dict[str, tuple[str, int, int]]:
    """Disjoint LSOA code ranges per force, proportional to size: slug -> (prefix, first, count)."""
    out = {}
    for country, prefix, total in (("E", "E01", ENGLAND_LSOAS), ("W", "W01", WALES_LSOAS)):
        forces = [f for f in FORCES if f[0] != "btp" and ((f[0] in WELSH) == (country == "W"))]
        weight = sum(f[2] for f in forces)
        start = 1
        for i, f in enumerate(forces):
            n = total - start + 1 if i == len(forces) - 1 else max(20, round(total * f[2] / weight))
            out[f[0]] = (prefix, start, n)
            start += n
    return out


_POOLS: dict[tuple[int, str], list[str]] = {}
# A pool fragment's place in a published file: (no location, LSOA name, LSOA code).
_FRAG_KEY: dict[str, tuple[bool, str, str]] = {}


def lsoas_for(seed: int, force) -> list[tuple[str, str, float, float]]:
    """The force's LSOAs: (code, name, lat, lon)."""
    slug, _name, _w, lat0, lon0, spread, las = force
    prefix, first, count = lsoa_ranges()[slug]
    rng = random.Random(derive_seed(seed, "lsoa", slug))
    per_la: dict[str, int] = {}
    out = []
    for k in range(count):
        la = las[rng.randrange(len(las))]
        per_la[la] = per_la.get(la, 0) + 1
        n = per_la[la]
        name = f"{la} {(n - 1) // 4 + 1:03d}{'ABCD'[(n - 1) % 4]}"
        lat = lat0 + rng.gauss(0.0, spread / 2)
        lon = lon0 + rng.gauss(0.0, spread / 1.3)
        out.append((f"{prefix}{first + k:06d}", name, lat, lon))
    return out


def location_pool(seed: int, slug: str) -> list[str]:
    """Pre-joined 'Longitude,Latitude,Location,LSOA code,LSOA name' fragments for one force.

    Popular points appear several times (so a few points collect many records, as in real data),
    and NO_LOCATION entries make up NO_LOCATION_SHARE of the pool.
    """
    key = (seed, slug)
    if key in _POOLS:
        return _POOLS[key]
    force = next(f for f in FORCES if f[0] == slug)
    rng = random.Random(derive_seed(seed, "points", slug))
    if slug == "btp":
        lsoas = []
        for f in FORCES:
            if f[0] != "btp":
                ls = lsoas_for(seed, f)
                lsoas.extend(ls[: max(1, len(ls) // 20)])  # around stations: a slice of each force
        at_stations = True
    else:
        lsoas = lsoas_for(seed, force)
        at_stations = False
    stems = STREET_STEMS + WELSH_STEMS if slug in WELSH else STREET_STEMS
    n_points = max(300, force[2] * 40)
    pool: list[str] = []
    for _ in range(n_points):
        code, lname, lat, lon = lsoas[rng.randrange(len(lsoas))]
        lat += rng.uniform(-0.004, 0.004)
        lon += rng.uniform(-0.006, 0.006)
        r = rng.random()
        if at_stations and r < 0.6:
            place = f"{lname.rsplit(' ', 1)[0].split(',')[0]} (station)"
        elif r < 0.15:
            place = POIS[rng.randrange(len(POIS))]
        else:
            place = f"{stems[rng.randrange(len(stems))]} {STREET_SUFFIXES[rng.randrange(len(STREET_SUFFIXES))]}"
        if rng.random() < COMMA_LOCATION_SHARE:
            place = f"{place}, {COMMA_TAILS[rng.randrange(len(COMMA_TAILS))]}"
        frag = f"{lon:.6f},{lat:.6f},{csv_field('On or near ' + place)},{code},{csv_field(lname)}"
        _FRAG_KEY[frag] = (False, lname, code)
        # Multiplicity: mostly 1, a heavy tail up to 30.
        mult = min(30, int(rng.paretovariate(1.6)))
        pool.extend([frag] * mult)
    n_noloc = round(len(pool) * NO_LOCATION_SHARE / (1.0 - NO_LOCATION_SHARE))
    pool.extend([NO_LOCATION] * n_noloc)
    _FRAG_KEY[NO_LOCATION] = (True, "", "")
    _POOLS[key] = pool
    return pool


def largest_remainder(targets: list[float], total: int) -> list[int]:
    floors = [int(t) for t in targets]
    rest = total - sum(floors)
    order = sorted(range(len(targets)), key=lambda i: (-(targets[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return floors


def plan(seed: int, months: list[str], rows: int) -> list[tuple[str, str, int, list[float]]]:
    """(month, slug, row count, crime-type weights) for every file; counts sum to rows exactly."""
    rng = random.Random(derive_seed(seed, "plan"))
    force_growth = {f[0]: rng.uniform(0.92, 1.12) for f in FORCES}
    type_growth = {(f[0], t): rng.uniform(0.85, 1.20) for f in FORCES for t, _ in CRIME_TYPES}
    cells, targets = [], []
    for t_idx, month in enumerate(months):
        mo = int(month[5:7])
        season = 1.0 + 0.08 * (1.0 if mo in (6, 7, 8) else 0.0) - 0.05 * (1.0 if mo in (12, 1, 2) else 0.0)
        years = t_idx / 12.0
        for f in FORCES:
            slug = f[0]
            targets.append(f[2] * season * force_growth[slug] ** years)
            weights = [w * type_growth[(slug, t)] ** years for t, w in CRIME_TYPES]
            cells.append((month, slug, weights))
    scale = rows / sum(targets)
    counts = largest_remainder([x * scale for x in targets], rows)
    return [(m, s, n, w) for (m, s, w), n in zip(cells, counts)]


def file_crimes(job):
    """One street file's rows as drawn: (force name, types, locations, Crime IDs, outcomes)."""
    out_dir, seed, month, slug, n, weights = job[:6]
    force = next(f for f in FORCES if f[0] == slug)
    name = force[1]
    pool = location_pool(seed, slug)
    rng = random.Random(derive_seed(seed, "file", month, slug))

    types = rng.choices([t for t, _ in CRIME_TYPES], weights=weights, k=n)
    locs = rng.choices(pool, k=n)
    n_crime = sum(1 for t in types if t != ASB)
    hexes = rng.randbytes(32 * n_crime).hex()
    ids = [hexes[64 * i: 64 * i + 64] for i in range(n_crime)]
    n_dup = round(n_crime * DUPLICATE_ID_SHARE)
    if n_crime > 1:
        for j in rng.sample(range(1, n_crime), min(n_dup, n_crime - 1)):
            ids[j] = ids[rng.randrange(j)]
    outcomes = rng.choices([csv_field(o) for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES], k=n_crime)
    return name, types, locs, ids, outcomes


def published_key(loc: str, label: str) -> tuple:
    """Where data.police.uk puts a row in a street file: LSOA by LSOA (by LSOA name), within an
    LSOA by crime type (alphabetical, "Other crime" last), rows without a location at the end.
    Seen in every City of London Police street file in ../shared/data/police-uk (one run of rows
    per LSOA, types in that order)."""
    no_location, lsoa_name, lsoa_code = _FRAG_KEY[loc]
    return (no_location, lsoa_name, lsoa_code, label == "Other crime", label)


def write_file(job) -> tuple[int, int, int]:
    out_dir, seed, month, slug, n, weights, order = job
    name, types, locs, ids, outcomes = file_crimes(job)
    mid = f",{month},{name},{name},"
    asb_tail = f",{ASB},,\n"
    rows = []
    k = 0
    n_asb = 0
    for t, loc in zip(types, locs):
        if t is ASB or t == ASB:
            rows.append((loc, ASB, f"{mid}{loc}{asb_tail}"))
            n_asb += 1
        else:
            label = label_for(month, t)
            rows.append((loc, label, f"{ids[k]}{mid}{loc},{label},{outcomes[k]},\n"))
            k += 1
    if order == "published":
        rows.sort(key=lambda r: published_key(r[0], r[1]))  # stable: draw order within a key
    parts = [HEADER] + [line for _, _, line in rows]
    data = "".join(parts).encode("utf-8")
    d = os.path.join(out_dir, month)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{month}-{slug}-street.csv"), "wb") as fh:
        fh.write(data)
    return n, n_asb, len(data)


# --outcomes: each crime gets one outcome row, in the outcome file of its own month or of one of
# the next three (weights below), as long as that month is in the archive: the outcome file of a
# month lists the outcomes recorded in it for crimes of that month and earlier, as data.police.uk's
# do. The outcome is the crime's last outcome category (the two synthetic quoted labels, which are
# no real outcome type, become "Awaiting court outcome").
OUTCOME_LAGS = [40.0, 30.0, 20.0, 10.0]
OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Outcome type\n"
)
_PLAN: dict = {}  # (month, slug) -> street job, set before the workers start


def write_outcomes(job) -> tuple[int, int, int]:
    out_dir, seed, month, slug, months = job
    i = months.index(month)
    parts = [OUTCOMES_HEADER]
    for lag in range(len(OUTCOME_LAGS)):
        if i - lag < 0 or (months[i - lag], slug) not in _PLAN:
            continue
        source = months[i - lag]
        name, types, locs, ids, outcomes = file_crimes(_PLAN[(source, slug)])
        crime_locs = [loc for t, loc in zip(types, locs) if t != ASB]
        rng = random.Random(derive_seed(seed, "outcome-lag", source, slug))
        lags = rng.choices(range(len(OUTCOME_LAGS)), weights=OUTCOME_LAGS, k=len(ids))
        for crime, loc, outcome, l in zip(ids, crime_locs, outcomes, lags):
            if l == lag:
                kind = "Awaiting court outcome" if outcome.startswith('"') else outcome
                parts.append(f"{crime},{month},{name},{name},{loc},{kind}\n")
    data = "".join(parts).encode("utf-8")
    with open(os.path.join(out_dir, month, f"{month}-{slug}-outcomes.csv"), "wb") as fh:
        fh.write(data)
    return len(parts) - 1, 0, len(data)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--months", type=int, default=36, help="consecutive months (default 36)")
    ap.add_argument("--end", default="2019-03", help="last month, YYYY-MM (default 2019-03)")
    ap.add_argument("--start", help="first month, YYYY-MM (overrides --months); e.g. 2010-12, data.police.uk's first")
    ap.add_argument("--national", action="store_true",
                    help="the full span data.police.uk publishes: --start 2010-12 --end 2026-10 (--rows as given)")
    ap.add_argument("--rows", type=int, default=10_000_000, help="total rows over all files (default 10,000,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--outcomes", action="store_true", help="write each month's outcome files too")
    ap.add_argument("--order", choices=["published", "drawn"], default="published",
                    help="row order in a street file: data.police.uk's (by LSOA name, then crime type; "
                         "no location last; the default) or the order rows were drawn in")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (output does not depend on it)")
    a = ap.parse_args(argv)

    out_dir = a.out_dir.rstrip("/")
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        print(f"gen_archive: {out_dir} exists and is not empty; remove it first", file=sys.stderr)
        return 2
    partial = out_dir + ".partial"
    if os.path.isdir(partial):
        shutil.rmtree(partial)  # a previous interrupted run of this generator
    os.makedirs(partial)

    t0 = time.time()
    if a.national:
        a.start, a.end = "2010-12", "2026-10"
    if a.start:
        (y0, m0), (y1, m1) = ((int(x) for x in v.split("-")) for v in (a.start, a.end))
        a.months = (y1 * 12 + m1) - (y0 * 12 + m0) + 1
        if a.months < 1:
            print(f"gen_archive: --start {a.start} is after --end {a.end}", file=sys.stderr)
            return 2
    months = month_list(a.end, a.months)
    jobs = [(partial, a.seed, m, s, n, w, a.order) for m, s, n, w in plan(a.seed, months, a.rows)]
    # Biggest files first so the two workers finish together.
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i][4], i))
    files = rows = asb = nbytes = 0
    if a.jobs > 1:
        with Pool(a.jobs) as p:
            results = p.imap_unordered(write_file, [jobs[i] for i in order], chunksize=4)
            for n, n_asb, b in results:
                files += 1; rows += n; asb += n_asb; nbytes += b
    else:
        for i in order:
            n, n_asb, b = write_file(jobs[i])
            files += 1; rows += n; asb += n_asb; nbytes += b

    outcome_rows = 0
    if a.outcomes:
        _PLAN.update({(j[2], j[3]): j for j in jobs})
        ojobs = [(partial, a.seed, j[2], j[3], months) for j in jobs]
        with Pool(a.jobs) as p:
            for n, _, b in p.imap_unordered(write_outcomes, ojobs, chunksize=4):
                files += 1; outcome_rows += n; nbytes += b
        print(f"outcome rows:  {outcome_rows}")

    if os.path.isdir(out_dir):
        os.rmdir(out_dir)  # empty, checked above
    os.rename(partial, out_dir)
    dt = time.time() - t0
    print(f"files written: {files}")
    print(f"total rows:    {rows}")
    print(f"ASB rows:      {asb} ({100.0 * asb / max(rows, 1):.2f} %)")
    print(f"total bytes:   {nbytes} ({nbytes / 1e9:.3f} GB)")
    print(f"months:        {months[0]} .. {months[-1]}; forces: {len(FORCES)}; seed {a.seed}; {dt:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
