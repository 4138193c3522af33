# ruff: noqa: E501  (the country table is data: one country per line)
"""Write the country rows of ``dbt_project/seeds/actor_dictionary.csv``.

The CSV is the source of truth that analysts edit.  This script only
bootstrapped (and can refresh) its *country* rows: the 193 UN member states
plus Palestine, Kosovo, Taiwan and the Holy See.  Every other row (persons,
organisations, armed groups, IGOs, media) is read from the CSV and written
back unchanged, after the countries.

The table below was written by hand from public knowledge: the short name
used in news, aliases (common and formal names, metonyms such as "Kremlin"),
nationality adjectives and demonyms, and the capital (the seat of government
where news uses it as metonymy: La Paz, not Sucre).  pycountry only checks the
codes and adds ISO's formal names as aliases and description.

    .venv/bin/python scripts/build_country_seeds.py [--check]

``--check`` exits 1 when the CSV's country rows differ from what the table
would write (for CI, if wanted); without it the CSV is rewritten.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pycountry

SEED = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "actor_dictionary.csv"
HEADER = [
    "actor_code",
    "name",
    "actor_kind",
    "aliases",
    "adjectives",
    "capital",
    "country_code",
    "sector",
    "sponsor_code",
    "description",
]
#: Codes that are not (or not yet) in ISO 3166-1: Kosovo's code as used by the EU and IMF.
NON_ISO = {"XKX": "Republic of Kosovo"}
#: Not UN members, but covered: observer states and partially recognised states.
NON_MEMBERS = {"PSE", "VAT", "XKX", "TWN"}

# code; short name; aliases; adjectives and demonyms; capital
COUNTRIES = """
AFG;Afghanistan;Islamic Emirate of Afghanistan|Islamic Republic of Afghanistan;Afghan|Afghans;Kabul
ALB;Albania;Republic of Albania;Albanian|Albanians;Tirana
DZA;Algeria;People's Democratic Republic of Algeria;Algerian|Algerians;Algiers
AND;Andorra;Principality of Andorra;Andorran|Andorrans;Andorra la Vella
AGO;Angola;Republic of Angola;Angolan|Angolans;Luanda
ATG;Antigua and Barbuda;Antigua;Antiguan|Antiguans|Barbudan|Barbudans;St. John's
ARG;Argentina;Argentine Republic|Casa Rosada;Argentine|Argentines|Argentinian|Argentinians;Buenos Aires
ARM;Armenia;Republic of Armenia;Armenian|Armenians;Yerevan
AUS;Australia;Commonwealth of Australia;Australian|Australians|Aussie|Aussies;Canberra
AUT;Austria;Republic of Austria;Austrian|Austrians;Vienna
AZE;Azerbaijan;Republic of Azerbaijan;Azerbaijani|Azerbaijanis|Azeri|Azeris;Baku
BHS;Bahamas;The Bahamas|Commonwealth of The Bahamas;Bahamian|Bahamians;Nassau
BHR;Bahrain;Kingdom of Bahrain;Bahraini|Bahrainis;Manama
BGD;Bangladesh;People's Republic of Bangladesh;Bangladeshi|Bangladeshis;Dhaka
BRB;Barbados;;Barbadian|Barbadians|Bajan|Bajans;Bridgetown
BLR;Belarus;Republic of Belarus|Byelorussia|Belorussia;Belarusian|Belarusians|Belarussian|Byelorussian;Minsk
BEL;Belgium;Kingdom of Belgium;Belgian|Belgians;Brussels
BLZ;Belize;;Belizean|Belizeans;Belmopan
BEN;Benin;Republic of Benin;Beninese;Porto-Novo
BTN;Bhutan;Kingdom of Bhutan;Bhutanese;Thimphu
BOL;Bolivia;Plurinational State of Bolivia;Bolivian|Bolivians;La Paz
BIH;Bosnia and Herzegovina;Bosnia|Bosnia-Herzegovina|BiH;Bosnian|Bosnians|Herzegovinian|Herzegovinians;Sarajevo
BWA;Botswana;Republic of Botswana;Motswana|Batswana|Botswanan|Botswanans;Gaborone
BRA;Brazil;Federative Republic of Brazil|Brasil|Planalto;Brazilian|Brazilians;Brasilia
BRN;Brunei;Brunei Darussalam;Bruneian|Bruneians;Bandar Seri Begawan
BGR;Bulgaria;Republic of Bulgaria;Bulgarian|Bulgarians;Sofia
BFA;Burkina Faso;Burkina;Burkinabe|Burkinabè;Ouagadougou
BDI;Burundi;Republic of Burundi;Burundian|Burundians;Gitega
CPV;Cabo Verde;Cape Verde|Republic of Cabo Verde;Cape Verdean|Cape Verdeans|Cabo Verdean|Cabo Verdeans;Praia
KHM;Cambodia;Kingdom of Cambodia;Cambodian|Cambodians|Khmer;Phnom Penh
CMR;Cameroon;Republic of Cameroon;Cameroonian|Cameroonians;Yaounde
CAN;Canada;;Canadian|Canadians;Ottawa
CAF;Central African Republic;CAR|Centrafrique;Central African|Central Africans;Bangui
TCD;Chad;Republic of Chad;Chadian|Chadians;N'Djamena
CHL;Chile;Republic of Chile;Chilean|Chileans;Santiago
CHN;China;People's Republic of China|PRC|mainland China|Zhongnanhai;Chinese;Beijing
COL;Colombia;Republic of Colombia;Colombian|Colombians;Bogota
COM;Comoros;Union of the Comoros|the Comoros;Comorian|Comorians;Moroni
COG;Congo;Republic of the Congo|Congo-Brazzaville|Congo Republic;;Brazzaville
COD;Democratic Republic of the Congo;DR Congo|DRC|Congo-Kinshasa|Democratic Republic of Congo|D.R. Congo;Congolese;Kinshasa
CRI;Costa Rica;Republic of Costa Rica;Costa Rican|Costa Ricans;San Jose
CIV;Côte d'Ivoire;Ivory Coast|Cote d'Ivoire|Republic of Côte d'Ivoire;Ivorian|Ivorians;Yamoussoukro
HRV;Croatia;Republic of Croatia|Hrvatska;Croatian|Croatians|Croat|Croats;Zagreb
CUB;Cuba;Republic of Cuba;Cuban|Cubans;Havana
CYP;Cyprus;Republic of Cyprus;Cypriot|Cypriots|Greek Cypriot|Greek Cypriots;Nicosia
CZE;Czechia;Czech Republic;Czech|Czechs;Prague
DNK;Denmark;Kingdom of Denmark;Danish|Dane|Danes;Copenhagen
DJI;Djibouti;Republic of Djibouti;Djiboutian|Djiboutians;Djibouti
DMA;Dominica;Commonwealth of Dominica;;Roseau
DOM;Dominican Republic;;Dominican|Dominicans;Santo Domingo
ECU;Ecuador;Republic of Ecuador;Ecuadorian|Ecuadorians|Ecuadorean|Ecuadoreans;Quito
EGY;Egypt;Arab Republic of Egypt;Egyptian|Egyptians;Cairo
SLV;El Salvador;Republic of El Salvador;Salvadoran|Salvadorans|Salvadorean|Salvadoreans;San Salvador
GNQ;Equatorial Guinea;Republic of Equatorial Guinea;Equatorial Guinean|Equatorial Guineans|Equatoguinean|Equatoguineans;Malabo
ERI;Eritrea;State of Eritrea;Eritrean|Eritreans;Asmara
EST;Estonia;Republic of Estonia;Estonian|Estonians;Tallinn
SWZ;Eswatini;Swaziland|Kingdom of Eswatini;Swazi|Swazis|Emaswati;Mbabane
ETH;Ethiopia;Federal Democratic Republic of Ethiopia;Ethiopian|Ethiopians;Addis Ababa
FJI;Fiji;Republic of Fiji;Fijian|Fijians;Suva
FIN;Finland;Republic of Finland;Finnish|Finn|Finns;Helsinki
FRA;France;French Republic|Elysee|Élysée|Elysee Palace|Quai d'Orsay;French|Frenchman|Frenchmen|Frenchwoman|Frenchwomen;Paris
GAB;Gabon;Gabonese Republic;Gabonese;Libreville
GMB;Gambia;The Gambia|Republic of The Gambia;Gambian|Gambians;Banjul
GEO;Georgia;Sakartvelo;Georgian|Georgians;Tbilisi
DEU;Germany;Federal Republic of Germany;German|Germans;Berlin
GHA;Ghana;Republic of Ghana;Ghanaian|Ghanaians;Accra
GRC;Greece;Hellenic Republic|Hellas;Greek|Greeks;Athens
GRD;Grenada;;Grenadian|Grenadians;St. George's
GTM;Guatemala;Republic of Guatemala;Guatemalan|Guatemalans;Guatemala City
GIN;Guinea;Republic of Guinea|Guinea-Conakry;Guinean|Guineans;Conakry
GNB;Guinea-Bissau;Republic of Guinea-Bissau;Bissau-Guinean|Bissau-Guineans;Bissau
GUY;Guyana;Co-operative Republic of Guyana;Guyanese;Georgetown
HTI;Haiti;Republic of Haiti;Haitian|Haitians;Port-au-Prince
HND;Honduras;Republic of Honduras;Honduran|Hondurans;Tegucigalpa
HUN;Hungary;;Hungarian|Hungarians;Budapest
ISL;Iceland;;Icelandic|Icelander|Icelanders;Reykjavik
IND;India;Republic of India|Bharat;Indian|Indians;New Delhi
IDN;Indonesia;Republic of Indonesia;Indonesian|Indonesians;Jakarta
IRN;Iran;Islamic Republic of Iran|Persia;Iranian|Iranians;Tehran
IRQ;Iraq;Republic of Iraq;Iraqi|Iraqis;Baghdad
IRL;Ireland;Republic of Ireland|Eire;Irish|Irishman|Irishmen|Irishwoman;Dublin
ISR;Israel;State of Israel;Israeli|Israelis;Jerusalem
ITA;Italy;Italian Republic|Palazzo Chigi;Italian|Italians;Rome
JAM;Jamaica;;Jamaican|Jamaicans;Kingston
JPN;Japan;Nippon;Japanese;Tokyo
JOR;Jordan;Hashemite Kingdom of Jordan;Jordanian|Jordanians;Amman
KAZ;Kazakhstan;Republic of Kazakhstan;Kazakh|Kazakhs|Kazakhstani|Kazakhstanis;Astana
KEN;Kenya;Republic of Kenya;Kenyan|Kenyans;Nairobi
KIR;Kiribati;Republic of Kiribati;I-Kiribati;Tarawa
PRK;North Korea;Democratic People's Republic of Korea|DPRK;North Korean|North Koreans;Pyongyang
KOR;South Korea;Republic of Korea|ROK;South Korean|South Koreans;Seoul
KWT;Kuwait;State of Kuwait;Kuwaiti|Kuwaitis;Kuwait City
KGZ;Kyrgyzstan;Kyrgyz Republic|Kirghizia;Kyrgyz|Kyrgyzstani|Kyrgyzstanis;Bishkek
LAO;Laos;Lao People's Democratic Republic|Lao PDR;Lao|Laotian|Laotians;Vientiane
LVA;Latvia;Republic of Latvia;Latvian|Latvians;Riga
LBN;Lebanon;Lebanese Republic;Lebanese;Beirut
LSO;Lesotho;Kingdom of Lesotho;Mosotho|Basotho;Maseru
LBR;Liberia;Republic of Liberia;Liberian|Liberians;Monrovia
LBY;Libya;State of Libya;Libyan|Libyans;Tripoli
LIE;Liechtenstein;Principality of Liechtenstein;Liechtensteiner|Liechtensteiners;Vaduz
LTU;Lithuania;Republic of Lithuania;Lithuanian|Lithuanians;Vilnius
LUX;Luxembourg;Grand Duchy of Luxembourg;Luxembourgish|Luxembourger|Luxembourgers;Luxembourg
MDG;Madagascar;Republic of Madagascar;Malagasy;Antananarivo
MWI;Malawi;Republic of Malawi;Malawian|Malawians;Lilongwe
MYS;Malaysia;;Malaysian|Malaysians;Kuala Lumpur
MDV;Maldives;Republic of Maldives|the Maldives;Maldivian|Maldivians;Male
MLI;Mali;Republic of Mali;Malian|Malians;Bamako
MLT;Malta;Republic of Malta;Maltese;Valletta
MHL;Marshall Islands;Republic of the Marshall Islands;Marshallese;Majuro
MRT;Mauritania;Islamic Republic of Mauritania;Mauritanian|Mauritanians;Nouakchott
MUS;Mauritius;Republic of Mauritius;Mauritian|Mauritians;Port Louis
MEX;Mexico;United Mexican States;Mexican|Mexicans;Mexico City
FSM;Micronesia;Federated States of Micronesia;Micronesian|Micronesians;Palikir
MDA;Moldova;Republic of Moldova;Moldovan|Moldovans;Chisinau
MCO;Monaco;Principality of Monaco;Monegasque|Monegasques;Monaco
MNG;Mongolia;;Mongolian|Mongolians;Ulaanbaatar
MNE;Montenegro;;Montenegrin|Montenegrins;Podgorica
MAR;Morocco;Kingdom of Morocco;Moroccan|Moroccans;Rabat
MOZ;Mozambique;Republic of Mozambique;Mozambican|Mozambicans;Maputo
MMR;Myanmar;Burma|Republic of the Union of Myanmar;Burmese;Naypyidaw
NAM;Namibia;Republic of Namibia;Namibian|Namibians;Windhoek
NRU;Nauru;Republic of Nauru;Nauruan|Nauruans;Yaren
NPL;Nepal;Federal Democratic Republic of Nepal;Nepali|Nepalese|Nepalis;Kathmandu
NLD;Netherlands;the Netherlands|Holland|Kingdom of the Netherlands;Dutch|Dutchman|Dutchmen|Dutchwoman;Amsterdam
NZL;New Zealand;Aotearoa;New Zealander|New Zealanders|Kiwi|Kiwis;Wellington
NIC;Nicaragua;Republic of Nicaragua;Nicaraguan|Nicaraguans;Managua
NER;Niger;Republic of the Niger;Nigerien|Nigeriens;Niamey
NGA;Nigeria;Federal Republic of Nigeria;Nigerian|Nigerians;Abuja
MKD;North Macedonia;Macedonia|Republic of North Macedonia;Macedonian|Macedonians|North Macedonian|North Macedonians;Skopje
NOR;Norway;Kingdom of Norway;Norwegian|Norwegians;Oslo
OMN;Oman;Sultanate of Oman;Omani|Omanis;Muscat
PAK;Pakistan;Islamic Republic of Pakistan;Pakistani|Pakistanis;Islamabad
PLW;Palau;Republic of Palau;Palauan|Palauans;Ngerulmud
PAN;Panama;Republic of Panama;Panamanian|Panamanians;Panama City
PNG;Papua New Guinea;PNG|Independent State of Papua New Guinea;Papua New Guinean|Papua New Guineans;Port Moresby
PRY;Paraguay;Republic of Paraguay;Paraguayan|Paraguayans;Asuncion
PER;Peru;Republic of Peru;Peruvian|Peruvians;Lima
PHL;Philippines;the Philippines|Republic of the Philippines|Malacanang;Filipino|Filipinos|Philippine;Manila
POL;Poland;Republic of Poland;Polish|Pole|Poles;Warsaw
PRT;Portugal;Portuguese Republic;Portuguese;Lisbon
QAT;Qatar;State of Qatar;Qatari|Qataris;Doha
ROU;Romania;;Romanian|Romanians;Bucharest
RUS;Russia;Russian Federation|Kremlin|the Kremlin;Russian|Russians;Moscow
RWA;Rwanda;Republic of Rwanda;Rwandan|Rwandans;Kigali
KNA;Saint Kitts and Nevis;St Kitts and Nevis|St. Kitts and Nevis|Federation of Saint Christopher and Nevis;Kittitian|Kittitians|Nevisian|Nevisians;Basseterre
LCA;Saint Lucia;St Lucia|St. Lucia;Saint Lucian|Saint Lucians|St Lucian|St Lucians;Castries
VCT;Saint Vincent and the Grenadines;St Vincent and the Grenadines|St. Vincent and the Grenadines|St Vincent;Vincentian|Vincentians;Kingstown
WSM;Samoa;Independent State of Samoa;Samoan|Samoans;Apia
SMR;San Marino;Republic of San Marino;Sammarinese;San Marino
STP;Sao Tome and Principe;São Tomé and Príncipe|Democratic Republic of Sao Tome and Principe;Sao Tomean|Sao Tomeans|Santomean|Santomeans;Sao Tome
SAU;Saudi Arabia;Kingdom of Saudi Arabia|KSA;Saudi|Saudis|Saudi Arabian|Saudi Arabians;Riyadh
SEN;Senegal;Republic of Senegal;Senegalese;Dakar
SRB;Serbia;Republic of Serbia;Serbian|Serbians|Serb|Serbs;Belgrade
SYC;Seychelles;Republic of Seychelles|the Seychelles;Seychellois;Victoria
SLE;Sierra Leone;Republic of Sierra Leone;Sierra Leonean|Sierra Leoneans;Freetown
SGP;Singapore;Republic of Singapore;Singaporean|Singaporeans;Singapore
SVK;Slovakia;Slovak Republic;Slovak|Slovaks|Slovakian|Slovakians;Bratislava
SVN;Slovenia;Republic of Slovenia;Slovenian|Slovenians|Slovene|Slovenes;Ljubljana
SLB;Solomon Islands;;Solomon Islander|Solomon Islanders;Honiara
SOM;Somalia;Federal Republic of Somalia;Somali|Somalis;Mogadishu
ZAF;South Africa;Republic of South Africa|RSA;South African|South Africans;Pretoria
SSD;South Sudan;Republic of South Sudan;South Sudanese;Juba
ESP;Spain;Kingdom of Spain|Moncloa;Spanish|Spaniard|Spaniards;Madrid
LKA;Sri Lanka;Democratic Socialist Republic of Sri Lanka|Ceylon;Sri Lankan|Sri Lankans;Colombo
SDN;Sudan;Republic of the Sudan|the Sudan;Sudanese;Khartoum
SUR;Suriname;Republic of Suriname|Surinam;Surinamese;Paramaribo
SWE;Sweden;Kingdom of Sweden;Swedish|Swede|Swedes;Stockholm
CHE;Switzerland;Swiss Confederation;Swiss;Bern
SYR;Syria;Syrian Arab Republic|Syrian government;Syrian|Syrians;Damascus
TJK;Tajikistan;Republic of Tajikistan;Tajik|Tajiks|Tajikistani|Tajikistanis;Dushanbe
TZA;Tanzania;United Republic of Tanzania;Tanzanian|Tanzanians;Dodoma
THA;Thailand;Kingdom of Thailand|Siam;Thai|Thais;Bangkok
TLS;Timor-Leste;East Timor|Democratic Republic of Timor-Leste;Timorese|East Timorese;Dili
TGO;Togo;Togolese Republic;Togolese;Lome
TON;Tonga;Kingdom of Tonga;Tongan|Tongans;Nuku'alofa
TTO;Trinidad and Tobago;Trinidad|Republic of Trinidad and Tobago;Trinidadian|Trinidadians|Tobagonian|Tobagonians;Port of Spain
TUN;Tunisia;Republic of Tunisia;Tunisian|Tunisians;Tunis
TUR;Turkey;Türkiye|Turkiye|Republic of Türkiye|Republic of Turkey;Turkish|Turk|Turks;Ankara
TKM;Turkmenistan;;Turkmen|Turkmens|Turkmenistani;Ashgabat
TUV;Tuvalu;;Tuvaluan|Tuvaluans;Funafuti
UGA;Uganda;Republic of Uganda;Ugandan|Ugandans;Kampala
UKR;Ukraine;the Ukraine|Kiev;Ukrainian|Ukrainians;Kyiv
ARE;United Arab Emirates;UAE|U.A.E.|the Emirates|Emirates;Emirati|Emiratis;Abu Dhabi
GBR;United Kingdom;UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland|Downing Street|Whitehall;British|Briton|Britons|Brit|Brits;London
USA;United States;the United States|US|U.S.|USA|U.S.A.|America|United States of America|White House|the White House;American|Americans|U.S.|US;Washington
URY;Uruguay;Oriental Republic of Uruguay;Uruguayan|Uruguayans;Montevideo
UZB;Uzbekistan;Republic of Uzbekistan;Uzbek|Uzbeks|Uzbekistani|Uzbekistanis;Tashkent
VUT;Vanuatu;Republic of Vanuatu;Ni-Vanuatu;Port Vila
VEN;Venezuela;Bolivarian Republic of Venezuela|Miraflores;Venezuelan|Venezuelans;Caracas
VNM;Vietnam;Viet Nam|Socialist Republic of Vietnam;Vietnamese;Hanoi
YEM;Yemen;Republic of Yemen;Yemeni|Yemenis;Sanaa
ZMB;Zambia;Republic of Zambia;Zambian|Zambians;Lusaka
ZWE;Zimbabwe;Republic of Zimbabwe;Zimbabwean|Zimbabweans;Harare
PSE;Palestine;State of Palestine|Palestinian Authority|Palestinian National Authority|Palestinian territories|occupied Palestinian territories;Palestinian|Palestinians;Ramallah
XKX;Kosovo;Republic of Kosovo;Kosovar|Kosovars|Kosovan|Kosovans;Pristina
TWN;Taiwan;Republic of China|ROC|Chinese Taipei;Taiwanese;Taipei
VAT;Vatican;Holy See|Vatican City|Vatican City State;Papal|Pontifical;Vatican City
"""

#: What the description says beyond the formal name, where a choice was made.
NOTES = {
    "BOL": "seat of government La Paz; constitutional capital Sucre",
    "CIV": "official capital Yamoussoukro; seat of most institutions Abidjan",
    "LKA": "executive and commercial capital Colombo; legislative capital Sri Jayawardenepura Kotte",
    "NLD": "capital Amsterdam; seat of government The Hague (also the seat of the ICC and ICJ)",
    "BEL": "Brussels is also the seat of the EU institutions and NATO",
    "ISR": "seat of government Jerusalem (its status is disputed)",
    "PSE": "UN non-member observer state; the Palestinian Authority sits in Ramallah",
    "XKX": "not a UN member; code XKX as used by the EU and IMF (no ISO 3166-1 code)",
    "TWN": "not a UN member",
    "VAT": "UN non-member observer state (the Holy See)",
    "COG": "'Congolese' alone is read as DR Congo (COD), the far more frequent referent",
    "DMA": "'Dominican' is read as the Dominican Republic (DOM)",
    "USA": "White House and Washington as government metonymy",
    "RUS": "Kremlin as government metonymy",
    "GBR": "Downing Street and Whitehall as government metonymy",
}


def _formal_names(code: str) -> tuple[str, list[str]]:
    """ISO's formal name (for the description) and extra aliases from pycountry."""
    if code in NON_ISO:
        return NON_ISO[code], []
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise SystemExit(f"{code}: not an ISO 3166-1 alpha-3 code")
    names = [getattr(country, "official_name", None), getattr(country, "common_name", None)]
    names.append(country.name)
    extras = [n for n in names if n and "," not in n and "(" not in n]
    formal = next(iter(extras), country.name)
    if formal.startswith("the "):
        formal = formal[4:]
    return formal, [n[4:] if n.startswith("the ") else n for n in extras]


def country_rows() -> list[dict[str, str]]:
    rows = []
    for line in COUNTRIES.strip().splitlines():
        code, name, aliases, adjectives, capital = (part.strip() for part in line.split(";"))
        formal, iso_names = _formal_names(code)
        alias_list = [a for a in aliases.split("|") if a]
        for extra in iso_names:
            if extra.casefold() not in {a.casefold() for a in [name, *alias_list]}:
                alias_list.append(extra)
        description = formal
        if code in NOTES:
            description += "; " + NOTES[code]
        rows.append(
            {
                "actor_code": code,
                "name": name,
                "actor_kind": "country",
                "aliases": "|".join(alias_list),
                "adjectives": adjectives,
                "capital": capital,
                "country_code": code,
                "sector": "GOV",
                "sponsor_code": "",
                "description": description,
            }
        )
    codes = [r["actor_code"] for r in rows]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate country codes in the table")
    members = len(set(codes) - NON_MEMBERS)
    if members != 193:
        raise SystemExit(f"expected 193 UN member states, the table has {members}")
    return rows


def render(existing: list[dict[str, str]]) -> str:
    others = [r for r in existing if r.get("actor_kind") != "country"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(country_rows())
    writer.writerows({k: r.get(k) or "" for k in HEADER} for r in others)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 on drift")
    args = parser.parse_args()
    with SEED.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise SystemExit(f"unexpected header {reader.fieldnames}; expected {HEADER}")
        existing = list(reader)
    text = render(existing)
    if args.check:
        current = SEED.read_text(encoding="utf-8")
        sys.exit(0 if current == text else 1)
    SEED.write_text(text, encoding="utf-8")
    print(f"wrote {SEED} ({text.count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
