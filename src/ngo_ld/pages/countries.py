"""Countries (EU Publications Office authority, ISO 3166-1 alpha-3): their names in the
page languages.

Its own module because the data names countries by authority IRI only (their labels are
not in the dataset), so the pages carry a table of names.
"""

from __future__ import annotations

from ..namespaces import SCHEMA
from .cyrillic import to_cyrillic
from .labels import PageLabel, local_name

#: The property that gives an organisation's country.
COUNTRY_PROPERTY = str(SCHEMA["addressCountry"])


#: Names of the countries the data uses (and neighbours likely to be added), en / sr-Latn.
COUNTRIES: dict[str, tuple[str, str]] = {
    "ALB": ("Albania", "Albanija"),
    "AUT": ("Austria", "Austrija"),
    "BEL": ("Belgium", "Belgija"),
    "BGR": ("Bulgaria", "Bugarska"),
    "BIH": ("Bosnia and Herzegovina", "Bosna i Hercegovina"),
    "CHE": ("Switzerland", "Švajcarska"),
    "CZE": ("Czechia", "Češka"),
    "DEU": ("Germany", "Nemačka"),
    "DNK": ("Denmark", "Danska"),
    "ESP": ("Spain", "Španija"),
    "FIN": ("Finland", "Finska"),
    "FRA": ("France", "Francuska"),
    "GBR": ("United Kingdom", "Ujedinjeno Kraljevstvo"),
    "GRC": ("Greece", "Grčka"),
    "HRV": ("Croatia", "Hrvatska"),
    "HUN": ("Hungary", "Mađarska"),
    "IRL": ("Ireland", "Irska"),
    "ITA": ("Italy", "Italija"),
    "MKD": ("North Macedonia", "Severna Makedonija"),
    "MNE": ("Montenegro", "Crna Gora"),
    "NLD": ("Netherlands", "Holandija"),
    "NOR": ("Norway", "Norveška"),
    "POL": ("Poland", "Poljska"),
    "PRT": ("Portugal", "Portugalija"),
    "ROU": ("Romania", "Rumunija"),
    "SRB": ("Serbia", "Srbija"),
    "SVK": ("Slovakia", "Slovačka"),
    "SVN": ("Slovenia", "Slovenija"),
    "SWE": ("Sweden", "Švedska"),
    "THA": ("Thailand", "Tajland"),
    "UKR": ("Ukraine", "Ukrajina"),
    "USA": ("United States", "Sjedinjene Američke Države"),
}
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


def country_code(iri: str) -> str | None:
    """``…/country/SRB`` → ``SRB``; None for any other IRI."""
    if iri.startswith(COUNTRY_AUTHORITY):
        return iri[len(COUNTRY_AUTHORITY):] or None
    return None


def country_name(iri: str, lang: str) -> PageLabel:
    """The country's name in ``lang`` (its ISO code when the table does not know it)."""
    code = country_code(iri) or local_name(iri)
    names = COUNTRIES.get(code)
    if names is None:
        return PageLabel(code, "")
    if lang == "en":
        return PageLabel(names[0], "en")
    if lang == "sr-Cyrl":
        return PageLabel(to_cyrillic(names[1]), "sr-Cyrl")
    return PageLabel(names[1], "sr-Latn")
