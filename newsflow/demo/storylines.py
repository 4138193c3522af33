"""The news the demo corpus tells: storylines, day by day, written for newsflow.

Everything here is synthetic: the events did not happen and no sentence is
taken from a publisher.  The actors are real countries and organisations, so
the actor dictionary resolves them; people are referred to by their office
("Azerbaijan's president"), never by a real name, so no real person is given
words they did not say.  A few invented people (a rebel commander, a protest
organiser, spokespeople) remain unresolved on purpose: they fill the analysts'
``mart_unresolved_actors`` work-list.

Each storyline has *beats*: what happened on one day of the ten (1 = Sunday
2026-03-01).  A beat offers several wordings of its lead, details and quotes,
so that outlets covering the same beat write different articles; the wire
agency's copy is the one other outlets syndicate with small edits.  Sentences
use plain news constructions the annotator can code ("X met Y in Z on
Tuesday", "X accused Y of ...", "X imposed sanctions on Y").  ``{wd}`` is the
weekday of the beat's day, ``{wd_prev}`` the day before.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Beat:
    story: str
    day: int  # 1..10 -> 2026-03-01..2026-03-10
    dateline: str  # city for the dateline, upper-cased in print
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[str, ...]
    recap: str = ""  # one sentence later articles use to recall this beat
    wire: bool = False  # the wire agency covers it (and others syndicate it)


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    section: str
    background: tuple[str, ...]
    beats: tuple[Beat, ...] = field(default_factory=tuple)


CAUCASUS = Story(
    key="caucasus",
    title="Armenia-Azerbaijan talks",
    section="Europe",
    background=(
        "Armenia and Azerbaijan fought two wars over the Nagorno-Karabakh region, "
        "the last of them in 2020.",
        "Azerbaijan took full control of Nagorno-Karabakh in a one-day offensive in 2023, "
        "after which most of the region's ethnic Armenians fled to Armenia.",
        "The two countries have never agreed on a single kilometre of their shared border, "
        "which was drawn inside the Soviet Union and never marked on the ground.",
        "The European Union has kept a civilian monitoring mission on the Armenian side of "
        "the border since 2023.",
        "Russia, which brokered the 2020 ceasefire, has seen its influence in the South "
        "Caucasus shrink since its invasion of Ukraine.",
    ),
    beats=(
        Beat(
            story="caucasus",
            day=1,
            dateline="Brussels",
            wire=True,
            headlines=(
                "Armenia and Azerbaijan open EU-hosted peace talks in Brussels",
                "Caucasus rivals return to the table in Brussels",
                "Armenian and Azerbaijani ministers meet for first talks in months",
            ),
            leads=(
                "Armenia's foreign minister met Azerbaijan's foreign minister in Brussels on "
                "{wd} for peace talks hosted by the European Union.",
                "The foreign ministers of Armenia and Azerbaijan held talks in Brussels on {wd}, "
                "their first meeting since the autumn.",
                "Armenian and Azerbaijani negotiators met in Brussels on {wd} under European "
                "Union mediation.",
            ),
            details=(
                "The European Union's foreign policy chief hosted the two delegations at the "
                "Council building.",
                "Officials said the agenda covered border demarcation, the reopening of "
                "transport links and the return of detainees.",
                "Armenia's delegation arrived with a draft text on the border, according to a "
                "European diplomat who asked not to be named.",
                "Azerbaijan's foreign ministry described the first session as constructive.",
            ),
            quotes=(
                '"We came to Brussels to make progress, not to repeat old positions," Armenian '
                "government spokesperson Ani Hovsepyan told reporters.",
                "Azerbaijan's deputy foreign minister, Elnur Rzayev, said Baku wanted a signed "
                "peace treaty before the end of the year.",
                "An EU spokesperson said the bloc was ready to support both sides for as long "
                "as it took.",
            ),
            recap="Armenia and Azerbaijan opened the current round of talks in Brussels on Sunday.",
        ),
        Beat(
            story="caucasus",
            day=3,
            dateline="Brussels",
            wire=True,
            headlines=(
                "Armenia and Azerbaijan sign border agreement after Brussels talks",
                "Breakthrough in Brussels: Caucasus neighbours agree to mark their border",
                "Armenia, Azerbaijan seal deal on border commission",
            ),
            leads=(
                "Armenia and Azerbaijan signed an agreement on the demarcation of their border "
                "in Brussels on {wd}.",
                "Armenia and Azerbaijan agreed on {wd} to set up a joint commission that will "
                "mark their shared border.",
                "Azerbaijan and Armenia signed a border agreement in Brussels on {wd} after "
                "three days of talks.",
            ),
            details=(
                "The European Union welcomed the agreement and pledged funds for mine clearance "
                "along the frontier.",
                "The commission will start work in the north, where the two armies stand "
                "closest to each other.",
                "Russia criticised the agreement, saying the security of the region could not "
                "be settled in Brussels.",
                "The two ministers shook hands in front of cameras, a rare public gesture.",
            ),
            quotes=(
                '"This is the most important step in thirty years," said Marta Lindqvist, a '
                "senior EU official involved in the talks.",
                "Armenia's prime minister said the agreement proved that peace was possible.",
                "Azerbaijan's foreign ministry said in a statement that the deal opened a new "
                "chapter.",
            ),
            recap="The two countries signed a border agreement in Brussels on Tuesday.",
        ),
        Beat(
            story="caucasus",
            day=4,
            dateline="Ankara",
            headlines=(
                "Turkey welcomes Armenia-Azerbaijan border deal",
                "Ankara offers to host next round of Caucasus talks",
            ),
            leads=(
                "Turkey welcomed the border agreement between Armenia and Azerbaijan on {wd} "
                "and offered to host the next round of talks.",
                "France praised Armenia and Azerbaijan on {wd} for their border agreement and "
                "promised technical help with demarcation.",
            ),
            details=(
                "Turkey said it was ready to reopen its land border with Armenia once a peace "
                "treaty was signed.",
                "Iran said it supported any agreement that respected existing borders in the "
                "region.",
                "Georgia offered the use of its territory for future meetings.",
            ),
            quotes=(
                "A spokesperson for Turkey's foreign ministry said the agreement was good news "
                "for the whole region.",
                "France's foreign ministry said French surveyors could join the commission.",
            ),
        ),
        Beat(
            story="caucasus",
            day=6,
            dateline="Baku",
            wire=True,
            headlines=(
                "Azerbaijan accuses Armenia of breaking ceasefire days after deal",
                "Ceasefire row clouds Caucasus border agreement",
                "Baku says Armenian troops fired across the border",
            ),
            leads=(
                "Azerbaijan accused Armenia on {wd} of violating the ceasefire along their "
                "northern border.",
                "Azerbaijan's defence ministry accused Armenian forces on {wd} of firing on its "
                "positions near the border.",
                "Azerbaijan accused Armenian troops of opening fire on its border posts on {wd}, "
                "three days after the two countries signed a border agreement.",
            ),
            details=(
                "Armenia rejected the accusation and said its troops had not fired a single shot.",
                "The European Union urged both sides to show restraint.",
                "There were no reports of casualties.",
                "EU monitors said they were checking the reports from both sides.",
            ),
            quotes=(
                "Armenia's defence ministry said the accusation was an attempt to prepare the "
                "ground for an attack.",
                '"The ink on the agreement is barely dry," said Ani Hovsepyan, the Armenian '
                "government spokesperson.",
            ),
            recap="On Friday Azerbaijan accused Armenia of violating the ceasefire.",
        ),
        Beat(
            story="caucasus",
            day=7,
            dateline="Yerevan",
            headlines=(
                "Armenia says Azerbaijani forces shelled border positions",
                "Two Armenian soldiers wounded in border shelling",
            ),
            leads=(
                "Azerbaijani forces shelled Armenian positions near the village of Sotk on {wd}, "
                "Armenia's defence ministry said.",
                "Azerbaijani troops attacked Armenian border posts overnight, wounding two "
                "soldiers, Armenia said on {wd}.",
            ),
            details=(
                "Azerbaijan denied the report and accused Armenia of provoking the clash.",
                "France condemned the attack and called for an immediate halt to the fighting.",
                "The shelling lasted about forty minutes, according to residents of Sotk.",
            ),
            quotes=(
                "Armenia's defence ministry said its forces had returned fire.",
                "Residents said they spent the night in basements.",
            ),
            recap="Armenia said Azerbaijani forces shelled its border positions on Saturday.",
        ),
        Beat(
            story="caucasus",
            day=8,
            dateline="Brussels",
            wire=True,
            headlines=(
                "Armenia-Azerbaijan talks collapse in Brussels",
                "Peace talks break down as Armenian delegation walks out",
                "EU-mediated Caucasus talks collapse after border clash",
            ),
            leads=(
                "Talks between Armenia and Azerbaijan collapsed on {wd} after the Armenian "
                "delegation walked out of the meeting in Brussels.",
                "Armenia suspended its participation in the EU-mediated talks with Azerbaijan "
                "on {wd}.",
                "The peace talks between Armenia and Azerbaijan broke down in Brussels on {wd}.",
            ),
            details=(
                "Azerbaijan blamed Armenia for the collapse and said the border agreement was "
                "now in doubt.",
                "The European Union said it regretted the decision and would stay in contact "
                "with both capitals.",
                "Armenia said it would not return to the table while its positions were under "
                "fire.",
            ),
            quotes=(
                '"We cannot negotiate under shelling," Armenian government spokesperson Ani '
                "Hovsepyan said.",
                "Azerbaijan's foreign ministry said Armenia had chosen confrontation over peace.",
            ),
            recap="The talks collapsed in Brussels on Sunday.",
        ),
        Beat(
            story="caucasus",
            day=9,
            dateline="Brussels",
            headlines=(
                "EU urges Armenia and Azerbaijan to resume talks",
                "Russia offers Moscow as venue after Brussels talks fail",
            ),
            leads=(
                "The European Union urged Armenia and Azerbaijan on {wd} to return to the "
                "negotiating table.",
                "France and Germany called on Armenia and Azerbaijan on {wd} to resume their "
                "talks without conditions.",
            ),
            details=(
                "Russia offered to host new talks in Moscow, an offer that Armenia rejected.",
                "EU foreign ministers will discuss the situation at their next meeting.",
                "The United States said it supported the European effort.",
            ),
            quotes=(
                "An EU spokesperson said the border agreement remained the best basis for peace.",
                "Germany's foreign ministry said both sides had too much to lose.",
            ),
        ),
        Beat(
            story="caucasus",
            day=10,
            dateline="Baku",
            headlines=(
                "Azerbaijan warns Armenia over disputed heights",
                "Baku threatens 'all necessary measures' on border",
            ),
            leads=(
                "Azerbaijan threatened on {wd} to take all necessary measures if Armenia did not "
                "withdraw its troops from disputed heights on the border.",
                "Azerbaijan's president warned Armenia on {wd} that his forces would respond to "
                "any new provocation.",
            ),
            details=(
                "Armenia said its troops were on Armenian territory and would stay there.",
                "The European Union called the statement unhelpful.",
            ),
            quotes=(
                "Azerbaijan's presidential office said patience had limits.",
                "Armenia's prime minister said Armenia would defend its borders.",
            ),
        ),
    ),
)

SUDAN = Story(
    key="sudan",
    title="War in Sudan",
    section="Africa",
    background=(
        "The war between Sudan's army and the paramilitary Rapid Support Forces began in "
        "April 2023.",
        "The fighting has driven millions of people from their homes, making Sudan the "
        "world's largest displacement crisis.",
        "El Fasher is the last major city in Darfur that the army still holds.",
        "The Rapid Support Forces grew out of the Janjaweed militias that fought in Darfur in "
        "the 2000s.",
        "Aid agencies have repeatedly warned of famine in parts of Darfur and Kordofan.",
    ),
    beats=(
        Beat(
            story="sudan",
            day=1,
            dateline="Nairobi",
            wire=True,
            headlines=(
                "RSF fighters attack villages near El Fasher, killing 12",
                "Darfur villages attacked as Sudan war grinds on",
                "Civilians killed in attack west of El Fasher",
            ),
            leads=(
                "Fighters of the Rapid Support Forces attacked villages west of El Fasher on "
                "{wd}, killing at least 12 civilians, local aid workers said.",
                "The Rapid Support Forces attacked three villages near El Fasher on {wd}, "
                "according to aid workers in the region.",
                "At least 12 civilians were killed when Rapid Support Forces fighters attacked "
                "villages west of El Fasher on {wd}.",
            ),
            details=(
                "Witnesses said the attackers arrived on motorbikes and pickup trucks and set "
                "fire to houses.",
                "Sudan's army said it had sent reinforcements to the area.",
                "Communications in the region were cut, which made the reports hard to verify.",
            ),
            quotes=(
                '"They came at dawn and burned everything," a resident told a local radio '
                "station by satellite phone.",
                "The Sudan Doctors Network said the wounded had no hospital to go to.",
            ),
            recap="Rapid Support Forces fighters attacked villages near El Fasher on Sunday.",
        ),
        Beat(
            story="sudan",
            day=2,
            dateline="Port Sudan",
            headlines=(
                "Sudan's army strikes RSF positions in North Darfur",
                "Army launches airstrikes after village attacks",
            ),
            leads=(
                "Sudan's army launched airstrikes on Rapid Support Forces positions in North "
                "Darfur on {wd}.",
                "The Sudanese army bombed Rapid Support Forces bases near Kutum on {wd}, the "
                "army's spokesperson said.",
            ),
            details=(
                "The army said the strikes destroyed weapons depots and armoured vehicles.",
                "The Rapid Support Forces accused the army of hitting a market.",
                "The claims could not be independently verified.",
            ),
            quotes=(
                "The army's spokesperson, Brigadier Nabil Abdalla, said the operation would "
                "continue until the area was secured.",
                "A Rapid Support Forces statement said the army was killing civilians.",
            ),
        ),
        Beat(
            story="sudan",
            day=4,
            dateline="Nairobi",
            wire=True,
            headlines=(
                "RSF shells El Fasher market and hospital, UN says",
                "UN condemns shelling of El Fasher",
                "Shells hit hospital in besieged Sudanese city",
            ),
            leads=(
                "The Rapid Support Forces shelled El Fasher on {wd}, hitting a market and a "
                "hospital, according to the United Nations.",
                "The United Nations condemned the shelling of El Fasher by the Rapid Support "
                "Forces on {wd}.",
                "Rapid Support Forces artillery struck a hospital and a crowded market in El "
                "Fasher on {wd}, the United Nations said.",
            ),
            details=(
                "At least 19 people were killed and dozens wounded, according to local health "
                "workers.",
                "The World Health Organization said the hospital was one of the last working "
                "in the city.",
                "The Rapid Support Forces denied targeting civilians.",
            ),
            quotes=(
                "The UN's humanitarian coordinator for Sudan said attacks on hospitals were a "
                "violation of international law.",
                '"There is nowhere safe left in El Fasher," said Amal Osman, a nurse at the '
                "hospital.",
            ),
            recap="The United Nations said the Rapid Support Forces shelled El Fasher on "
            "Wednesday.",
        ),
        Beat(
            story="sudan",
            day=5,
            dateline="Geneva",
            headlines=(
                "WFP aid convoy blocked at RSF checkpoint in Darfur",
                "Food convoy for Darfur stopped at checkpoint",
            ),
            leads=(
                "The World Food Programme sent a convoy of 40 trucks with food aid to North "
                "Darfur on {wd}.",
                "Rapid Support Forces fighters blocked a World Food Programme convoy at a "
                "checkpoint near Mellit on {wd}, the agency said.",
            ),
            details=(
                "The trucks carried enough food for 100,000 people for a month.",
                "The agency called on all parties to allow aid through.",
                "The convoy had crossed from Chad two days earlier.",
            ),
            quotes=(
                "A World Food Programme spokesperson said the convoy was still waiting at the "
                "checkpoint.",
                '"People are eating leaves," an aid worker in Tawila said.',
            ),
        ),
        Beat(
            story="sudan",
            day=6,
            dateline="Cairo",
            headlines=(
                "Egypt sends medical aid to Sudan",
                "Sudan's army accuses UAE of arming RSF",
            ),
            leads=(
                "Egypt sent two planes carrying medical aid to Port Sudan on {wd}.",
                "Sudan's army accused the United Arab Emirates on {wd} of supplying weapons to "
                "the Rapid Support Forces.",
            ),
            details=(
                "The United Arab Emirates denied the accusation and called it baseless.",
                "Egypt said more aid would follow by sea.",
                "The aid included surgical supplies and cholera vaccines.",
            ),
            quotes=(
                "Egypt's foreign ministry said Egypt stood with the Sudanese people.",
                "An Emirati official said the United Arab Emirates had sent only humanitarian "
                "aid to Sudan.",
            ),
        ),
        Beat(
            story="sudan",
            day=7,
            dateline="Nairobi",
            wire=True,
            headlines=(
                "RSF captures town in North Kordofan after two days of fighting",
                "Sudan war spreads east as RSF seizes Um Kadada",
                "Rapid Support Forces take key town from army",
            ),
            leads=(
                "The Rapid Support Forces captured the town of Um Kadada on {wd} after two days "
                "of fighting with the army.",
                "Rapid Support Forces fighters seized Um Kadada from Sudan's army on {wd}, "
                "opening a road towards El Obeid.",
                "Sudan's army withdrew from Um Kadada on {wd} after a two-day assault by the "
                "Rapid Support Forces.",
            ),
            details=(
                "Thousands of residents fled towards El Obeid.",
                "The army said its troops had made a tactical withdrawal.",
                "The town sits on the main road between Darfur and central Sudan.",
            ),
            quotes=(
                "RSF commander Musa Kabbashi said in a video that his forces would advance on "
                "El Obeid.",
                "A resident said fighters were going from house to house.",
            ),
            recap="The Rapid Support Forces captured the town of Um Kadada on Saturday.",
        ),
        Beat(
            story="sudan",
            day=8,
            dateline="Addis Ababa",
            headlines=(
                "African Union demands immediate ceasefire in Sudan",
                "AU calls emergency meeting on Sudan",
            ),
            leads=(
                "The African Union demanded an immediate ceasefire in Sudan on {wd}.",
                "The African Union's Peace and Security Council called on Sudan's army and the "
                "Rapid Support Forces on {wd} to stop fighting.",
            ),
            details=(
                "The council met in Addis Ababa in an emergency session.",
                "Kenya and Ethiopia offered to host talks between the two sides.",
                "Neither the army nor the Rapid Support Forces sent a delegation.",
            ),
            quotes=(
                "The chair of the African Union Commission said the war was a disgrace to the "
                "continent.",
                "An AU diplomat said the council was running out of options.",
            ),
        ),
        Beat(
            story="sudan",
            day=9,
            dateline="Washington",
            wire=True,
            headlines=(
                "US imposes sanctions on RSF commanders over Darfur attacks",
                "Washington sanctions three Rapid Support Forces commanders",
                "US targets RSF leaders with sanctions",
            ),
            leads=(
                "The United States imposed sanctions on three commanders of the Rapid Support "
                "Forces on {wd}, accusing them of attacks on civilians in Darfur.",
                "The United States sanctioned three Rapid Support Forces commanders on {wd} "
                "over the attacks on El Fasher.",
                "Washington imposed sanctions on {wd} on three commanders of Sudan's Rapid "
                "Support Forces.",
            ),
            details=(
                "The sanctions freeze any assets the commanders hold in the United States.",
                "RSF commander Musa Kabbashi was among those named.",
                "The Rapid Support Forces rejected the sanctions as politically motivated.",
            ),
            quotes=(
                "A State Department spokesperson said those who attack civilians would be held "
                "to account.",
                "An RSF adviser said the sanctions would not change anything on the ground.",
            ),
            recap="The United States imposed sanctions on three RSF commanders on Monday.",
        ),
        Beat(
            story="sudan",
            day=10,
            dateline="N'Djamena",
            headlines=(
                "Thousands flee into Chad as Sudan fighting spreads",
                "UN appeals for funds as Sudanese refugees cross into Chad",
            ),
            leads=(
                "Thousands of civilians fled across the border into Chad on {wd} as fighting "
                "spread in Darfur.",
                "The UN refugee agency appealed on {wd} for $200 million to help Sudanese "
                "refugees in Chad.",
            ),
            details=(
                "Chad said it had received more than 8,000 refugees in three days.",
                "Most of the new arrivals were women and children.",
                "Aid agencies said the camps near Adre were already full.",
            ),
            quotes=(
                "A UN refugee agency spokesperson said the camps were at breaking point.",
                "Chad's government asked donors for urgent help.",
            ),
        ),
    ),
)

SANCTIONS = Story(
    key="sanctions",
    title="Sanctions on Iran and Russia",
    section="World",
    background=(
        "The United States withdrew from the 2015 nuclear agreement with Iran in 2018 and "
        "reimposed sanctions on Iranian oil exports.",
        "The European Union has adopted more than a dozen packages of sanctions against Russia "
        "since the full-scale invasion of Ukraine in February 2022.",
        "Iran has restricted the work of international inspectors several times since 2021.",
        "Much of Iran's oil is carried by ageing tankers with opaque ownership, often called a "
        "shadow fleet.",
    ),
    beats=(
        Beat(
            story="sanctions",
            day=2,
            dateline="Washington",
            wire=True,
            headlines=(
                "US imposes sanctions on shipping firms carrying Iranian oil",
                "Washington targets Iran's 'shadow fleet' with new sanctions",
                "New US sanctions hit twelve shipping companies over Iranian oil",
            ),
            leads=(
                "The United States imposed sanctions on {wd} on twelve shipping companies "
                "accused of carrying Iranian oil.",
                "The United States imposed sanctions on twelve shipping companies and nine "
                "tankers on {wd} for carrying Iranian oil to Asia.",
                "Washington imposed new sanctions on Iran's oil trade on {wd}, targeting twelve "
                "shipping companies.",
            ),
            details=(
                "Iran condemned the sanctions as economic warfare.",
                "The companies are registered in several countries, including the United Arab "
                "Emirates and Hong Kong.",
                "The Treasury said the tankers had moved oil worth hundreds of millions of "
                "dollars.",
            ),
            quotes=(
                "Iran's foreign ministry spokesperson said the sanctions were illegal and would "
                "fail.",
                "A Treasury official said the United States would keep up the pressure on Iran.",
            ),
            recap="The United States imposed sanctions on twelve shipping companies on Monday.",
        ),
        Beat(
            story="sanctions",
            day=3,
            dateline="Vienna",
            headlines=(
                "Iran threatens to limit UN inspectors after new sanctions",
                "IAEA urges Iran to keep cooperating",
            ),
            leads=(
                "Iran threatened on {wd} to limit the access of United Nations nuclear "
                "inspectors in response to the new sanctions.",
                "The International Atomic Energy Agency urged Iran on {wd} to cooperate fully "
                "with its inspectors.",
            ),
            details=(
                "The agency's inspectors visit Iran's enrichment sites every few weeks.",
                "France, Germany and the United Kingdom criticised the threat.",
                "Iran said it remained committed to the agency's safeguards.",
            ),
            quotes=(
                "An Iranian lawmaker said parliament could vote to end cooperation with the "
                "agency.",
                "The agency's spokesperson said dialogue was the only way forward.",
            ),
        ),
        Beat(
            story="sanctions",
            day=5,
            dateline="Brussels",
            wire=True,
            headlines=(
                "EU imposes new sanctions on Russia over Ukraine war",
                "Brussels adopts new sanctions package against Moscow",
                "EU targets Russian banks and tankers in new sanctions",
            ),
            leads=(
                "The European Union imposed new sanctions on Russia on {wd}, targeting banks and "
                "tankers that help it sell oil.",
                "The European Union adopted a new package of sanctions against Russia on {wd}.",
                "EU governments imposed new sanctions on Russian banks and oil tankers on {wd}.",
            ),
            details=(
                "Russia threatened to retaliate against European companies.",
                "The package also bans the export of some machine tools to Russia.",
                "Hungary had delayed the package for two weeks before agreeing to it.",
            ),
            quotes=(
                "Russia's foreign ministry said the sanctions would hurt Europe more than Russia.",
                "An EU diplomat said the aim was to cut the money that pays for the war.",
            ),
            recap="The European Union imposed new sanctions on Russia on Thursday.",
        ),
        Beat(
            story="sanctions",
            day=6,
            dateline="Kyiv",
            headlines=(
                "Russia launches drone attack on Kyiv",
                "Ukraine accuses Russia of targeting power plants",
            ),
            leads=(
                "Russian forces launched a drone attack on Kyiv overnight, damaging a power "
                "plant, Ukrainian officials said on {wd}.",
                "Ukraine accused Russia on {wd} of targeting its energy system with a new wave "
                "of drones.",
            ),
            details=(
                "Ukraine's air force said it shot down most of the drones.",
                "Parts of the city were without electricity for several hours.",
                "Russia said it had struck military targets.",
            ),
            quotes=(
                "Ukraine's foreign minister called on allies to send more air defence systems.",
                "The city's mayor said repair crews were working through the night.",
            ),
        ),
        Beat(
            story="sanctions",
            day=7,
            dateline="Beijing",
            headlines=(
                "China and Iran hold talks in Beijing, criticise US sanctions",
                "Beijing hosts Iranian foreign minister",
            ),
            leads=(
                "China's foreign minister met Iran's foreign minister in Beijing on {wd}.",
                "China criticised the new US sanctions on {wd} during a visit by Iran's foreign "
                "minister to Beijing.",
            ),
            details=(
                "The two ministers discussed trade and the Iranian nuclear programme.",
                "China is the largest buyer of Iranian oil.",
                "China and Iran agreed to expand cooperation in energy and transport.",
            ),
            quotes=(
                "China's foreign ministry said unilateral sanctions had no basis in "
                "international law.",
                "Iran's foreign minister thanked China for its support.",
            ),
        ),
        Beat(
            story="sanctions",
            day=8,
            dateline="Moscow",
            wire=True,
            headlines=(
                "Russia expels four German diplomats in sanctions row",
                "Moscow expels German diplomats, Berlin summons ambassador",
                "Russia retaliates for EU sanctions with expulsions",
            ),
            leads=(
                "Russia expelled four German diplomats on {wd} in response to the new European "
                "Union sanctions.",
                "Russia ordered four German diplomats to leave the country on {wd}.",
                "Moscow expelled four diplomats from Germany's embassy on {wd}.",
            ),
            details=(
                "Germany summoned Russia's ambassador in Berlin in protest.",
                "The diplomats have a week to leave Russia.",
                "Germany said it would respond in kind.",
            ),
            quotes=(
                "Russia's foreign ministry said the move was a response to unfriendly actions.",
                "Germany's foreign ministry called the expulsions unjustified.",
            ),
            recap="Russia expelled four German diplomats on Sunday.",
        ),
        Beat(
            story="sanctions",
            day=9,
            dateline="London",
            headlines=(
                "UK imposes sanctions on two Russian banks",
                "Britain follows EU with new Russia sanctions",
            ),
            leads=(
                "The United Kingdom imposed sanctions on two Russian banks on {wd}.",
                "Britain imposed sanctions on {wd} on two Russian banks and a shipping company "
                "in Dubai.",
            ),
            details=(
                "Russia threatened to respond to the British sanctions.",
                "The banks handle payments for Russia's defence industry, the government said.",
            ),
            quotes=(
                "The British foreign secretary said the sanctions would keep up the pressure on "
                "Moscow.",
                "The Russian embassy in London called the sanctions pointless.",
            ),
        ),
        Beat(
            story="sanctions",
            day=10,
            dateline="Vienna",
            wire=True,
            headlines=(
                "Iran and IAEA agree plan to resume inspections",
                "Iran, UN nuclear watchdog reach deal on inspections",
                "Inspectors to return to two Iranian sites under new plan",
            ),
            leads=(
                "Iran and the International Atomic Energy Agency agreed on {wd} on a plan to "
                "resume inspections at two sites.",
                "Iran signed an agreement with the International Atomic Energy Agency on {wd} "
                "to let inspectors back into two sites.",
                "The International Atomic Energy Agency and Iran reached an agreement on {wd} "
                "on the return of inspectors.",
            ),
            details=(
                "The agreement was reached after two days of talks in Vienna.",
                "The United States said it would judge Iran by its actions.",
                "Inspectors are expected to travel to Iran within two weeks.",
            ),
            quotes=(
                "The agency's director general said the plan was a step in the right direction.",
                "Iran's envoy in Vienna said Iran had shown good will.",
            ),
        ),
    ),
)

GEORGIA = Story(
    key="georgia",
    title="Protests in Georgia",
    section="Europe",
    background=(
        "Georgia applied to join the European Union in 2022 and was granted candidate status "
        "in 2023.",
        "Protests have taken place in Tbilisi almost every night since the government froze "
        "talks on EU membership in late 2024.",
        "The governing party has passed laws that critics say copy Russian legislation on "
        "foreign agents.",
    ),
    beats=(
        Beat(
            story="georgia",
            day=1,
            dateline="Tbilisi",
            wire=True,
            headlines=(
                "Thousands rally in Tbilisi against new media law",
                "Georgians protest outside parliament over media bill",
                "Protesters fill Tbilisi's main avenue",
            ),
            leads=(
                "Thousands of protesters rallied in Tbilisi on {wd} against a government bill "
                "that would tighten control over the media.",
                "Protesters rallied outside the Georgian parliament in Tbilisi on {wd} against "
                "a new media law.",
                "Thousands of Georgians marched to parliament in Tbilisi on {wd} to protest "
                "against a media bill.",
            ),
            details=(
                "The protesters carried Georgian and European Union flags.",
                "The bill would require media outlets that receive foreign funding to register "
                "with the state.",
                "The rally was peaceful and ended shortly after midnight.",
            ),
            quotes=(
                '"We will stand here every night until the bill is withdrawn," said protest '
                "organiser Tamar Beridze.",
                "The governing party said the bill was about transparency.",
            ),
            recap="Thousands of people protested in Tbilisi on Sunday.",
        ),
        Beat(
            story="georgia",
            day=3,
            dateline="Tbilisi",
            wire=True,
            headlines=(
                "Georgian police fire tear gas at protesters in Tbilisi",
                "Dozens arrested as police break up Tbilisi protest",
                "Police use water cannon on crowds outside Georgian parliament",
            ),
            leads=(
                "Georgian police used tear gas and water cannon against protesters outside "
                "parliament in Tbilisi on {wd}.",
                "Police in Tbilisi fired tear gas at thousands of protesters on {wd} as "
                "parliament debated the media bill.",
                "Georgian riot police dispersed protesters outside parliament in Tbilisi on {wd}.",
            ),
            details=(
                "Police arrested 37 people, Georgia's interior ministry said.",
                "Several journalists were injured, according to the Georgian Young Lawyers' "
                "Association.",
                "Parliament passed the bill in its second reading.",
            ),
            quotes=(
                "Georgia's interior ministry said the protesters had tried to storm the building.",
                '"They beat people who were just standing there," said Tamar Beridze, one of '
                "the organisers.",
            ),
            recap="Georgian police used tear gas against protesters on Tuesday.",
        ),
        Beat(
            story="georgia",
            day=4,
            dateline="Brussels",
            headlines=(
                "EU criticises Georgia over protest crackdown",
                "Georgia accuses EU of interference",
            ),
            leads=(
                "The European Union criticised the Georgian government on {wd} for the "
                "crackdown on protesters in Tbilisi.",
                "Georgia's prime minister accused the European Union on {wd} of interfering in "
                "the country's internal affairs.",
            ),
            details=(
                "The EU said the media bill was incompatible with Georgia's path to membership.",
                "Georgia's government said the protests were organised from abroad.",
                "Lithuania and Poland called for sanctions against Georgian officials.",
            ),
            quotes=(
                "An EU spokesperson said peaceful protest was a fundamental right.",
                "Georgia's foreign ministry said Brussels was lecturing a sovereign country.",
            ),
        ),
        Beat(
            story="georgia",
            day=6,
            dateline="Tbilisi",
            headlines=(
                "Tens of thousands march in largest Tbilisi protest this year",
                "Georgia's protests grow after crackdown",
            ),
            leads=(
                "Tens of thousands of people marched through Tbilisi on {wd} in the largest "
                "protest this year.",
                "Protesters rallied in Tbilisi and in Batumi on {wd} against the media law and "
                "the police violence.",
            ),
            details=(
                "Students from several universities joined the march.",
                "The crowd stretched along Rustaveli Avenue for more than a kilometre.",
                "Police kept their distance and there were no arrests.",
            ),
            quotes=(
                '"They thought tear gas would frighten us," protest organiser Tamar Beridze said.',
                "A retired teacher said she had come because her grandchildren deserved a "
                "European future.",
            ),
        ),
        Beat(
            story="georgia",
            day=8,
            dateline="Tbilisi",
            wire=True,
            headlines=(
                "Georgian police detain opposition leader",
                "Opposition leader arrested in Tbilisi",
                "Georgia detains opposition figure after protests",
            ),
            leads=(
                "Georgian police detained opposition leader Irakli Beradze in Tbilisi on {wd}.",
                "Police arrested Georgian opposition leader Irakli Beradze at his home on {wd}.",
                "Georgia's police detained the opposition politician Irakli Beradze on {wd}.",
            ),
            details=(
                "The interior ministry accused him of organising mass unrest.",
                "His party said the arrest was political.",
                "Hundreds of supporters gathered outside the police station.",
            ),
            quotes=(
                "Beradze's lawyer said he had not been allowed to see his client.",
                "The interior ministry said it acted on a court order.",
            ),
            recap="Opposition leader Irakli Beradze was detained on Sunday.",
        ),
        Beat(
            story="georgia",
            day=9,
            dateline="Washington",
            headlines=(
                "US and UK urge Georgia to release detained protesters",
                "Western governments call on Tbilisi to free opposition leader",
            ),
            leads=(
                "The United States and the United Kingdom urged Georgia on {wd} to release the "
                "detained protesters.",
                "The United States called on Georgia on {wd} to free opposition leader Irakli "
                "Beradze.",
            ),
            details=(
                "The European Union said it was considering visa restrictions for Georgian "
                "officials.",
                "Georgia's government said the courts were independent.",
            ),
            quotes=(
                "A State Department spokesperson said Georgia was moving in the wrong direction.",
                "The British foreign office said it was deeply concerned.",
            ),
        ),
        Beat(
            story="georgia",
            day=10,
            dateline="Tbilisi",
            headlines=(
                "Georgia rejects Western calls, passes media law",
                "Tbilisi defies critics as media law passes",
            ),
            leads=(
                "Georgia's government rejected calls from Western governments on {wd} and "
                "passed the media law in its final reading.",
                "Georgia's parliament passed the media law on {wd} despite protests and "
                "criticism from the European Union.",
            ),
            details=(
                "Opposition parties said they would challenge the law in the constitutional court.",
                "Protesters gathered outside parliament again in the evening.",
            ),
            quotes=(
                "Georgia's prime minister said no foreign power would write Georgia's laws.",
                "Protest organiser Tamar Beridze said the movement would not stop.",
            ),
        ),
    ),
)

MOZAMBIQUE = Story(
    key="mozambique",
    title="Floods in Mozambique",
    section="Africa",
    background=(
        "Mozambique is one of the countries most exposed to cyclones and floods in Africa.",
        "Cyclone Idai devastated Beira in 2019, killing hundreds of people.",
        "The rainy season in central Mozambique runs from November to April.",
    ),
    beats=(
        Beat(
            story="mozambique",
            day=2,
            dateline="Maputo",
            wire=True,
            headlines=(
                "South Africa sends aid as floods kill 40 in Mozambique",
                "Floods in central Mozambique kill at least 40",
                "Mozambique floods: South Africa flies in tents and water",
            ),
            leads=(
                "South Africa sent aid to Mozambique on {wd} after floods in the centre of the "
                "country killed at least 40 people.",
                "Floods in central Mozambique killed at least 40 people, and South Africa sent "
                "aid to the region on {wd}.",
                "South Africa flew tents and water purification equipment to Beira on {wd} as "
                "Mozambique struggled with deadly floods.",
            ),
            details=(
                "More than 60,000 people have been forced from their homes.",
                "The Pungwe and Buzi rivers burst their banks after a week of heavy rain.",
                "Mozambique's government declared a state of emergency in Sofala province.",
            ),
            quotes=(
                "Mozambique's disaster management agency said the water was still rising.",
                '"We lost the house, the maize, everything," said Ana Machava, a farmer near Buzi.',
            ),
            recap="South Africa sent aid to Mozambique on Monday.",
        ),
        Beat(
            story="mozambique",
            day=4,
            dateline="Tokyo",
            headlines=(
                "Japan pledges $10 million for Mozambique flood victims",
                "UN appeals for funds as Mozambique floods spread",
            ),
            leads=(
                "Japan pledged $10 million in emergency aid to Mozambique on {wd}.",
                "The United Nations appealed on {wd} for $85 million to help flood victims in "
                "Mozambique.",
            ),
            details=(
                "The money will pay for food, shelter and clean water.",
                "The European Union released 3 million euros for emergency relief.",
                "Cholera cases have been reported in two camps near Beira.",
            ),
            quotes=(
                "Japan's foreign ministry said it stood by the people of Mozambique.",
                "The UN's resident coordinator said the next two weeks would be critical.",
            ),
        ),
        Beat(
            story="mozambique",
            day=5,
            dateline="Maputo",
            headlines=(
                "World Bank approves emergency loan for flood-hit Mozambique",
                "Mozambique gets World Bank support for reconstruction",
            ),
            leads=(
                "The World Bank approved an emergency loan of $120 million to Mozambique on "
                "{wd} to rebuild roads and bridges destroyed by the floods.",
                "The World Bank agreed on {wd} to lend Mozambique $120 million for flood "
                "reconstruction.",
            ),
            details=(
                "The loan will also finance early warning systems along the main rivers.",
                "Mozambique's finance minister welcomed the decision.",
            ),
            quotes=(
                "A World Bank official said the money would be available within weeks.",
                "Mozambique's government said it would publish how every dollar was spent.",
            ),
        ),
        Beat(
            story="mozambique",
            day=7,
            dateline="Beira",
            headlines=(
                "Portugal sends rescue team to Mozambique",
                "International rescuers join flood relief in Beira",
            ),
            leads=(
                "Portugal sent a team of 30 rescuers and two helicopters to Mozambique on {wd}.",
                "Rescue teams from Portugal and South Africa evacuated hundreds of people from "
                "flooded villages near Beira on {wd}.",
            ),
            details=(
                "The helicopters will fly food to villages cut off by the water.",
                "Mozambique's government said 112 people were still missing.",
            ),
            quotes=(
                "Portugal's foreign minister said Portugal would always stand with Mozambique.",
                "A rescuer said entire villages were under water.",
            ),
        ),
        Beat(
            story="mozambique",
            day=9,
            dateline="Maputo",
            headlines=(
                "Mozambique thanks neighbours as flood waters recede",
                "Flood waters fall in central Mozambique",
            ),
            leads=(
                "Mozambique thanked South Africa, Japan and Portugal on {wd} for their help "
                "during the floods.",
                "Mozambique's president praised South Africa on {wd} for sending aid within "
                "hours of the disaster.",
            ),
            details=(
                "The floods killed 74 people in total, the government said.",
                "Families began returning to their homes as the water fell.",
            ),
            quotes=(
                "Mozambique's government said the reconstruction would take years.",
                "An aid worker said the risk of disease remained high.",
            ),
        ),
    ),
)

LEBANON = Story(
    key="lebanon",
    title="Israel-Lebanon border",
    section="Middle East",
    background=(
        "Israel and Hezbollah fought a war in 2024 that ended with a US- and French-brokered "
        "ceasefire in November that year.",
        "UN peacekeepers have patrolled southern Lebanon since 1978.",
        "Hezbollah is an armed group and political party backed by Iran.",
    ),
    beats=(
        Beat(
            story="lebanon",
            day=2,
            dateline="Beirut",
            wire=True,
            headlines=(
                "Israeli forces shell villages in southern Lebanon",
                "Cross-border fire between Israel and Hezbollah",
                "Southern Lebanon shelled as tensions rise",
            ),
            leads=(
                "Israeli forces shelled villages in southern Lebanon on {wd}, Lebanon's state "
                "news agency reported.",
                "Israel's army shelled the outskirts of two villages in southern Lebanon on {wd}.",
                "Israeli artillery struck villages in southern Lebanon on {wd}, according to "
                "Lebanese officials.",
            ),
            details=(
                "Hezbollah fired rockets at northern Israel later in the day.",
                "Israel's army said it had struck Hezbollah positions.",
                "No casualties were reported on either side.",
            ),
            quotes=(
                "Lebanon's prime minister said Israel was violating the ceasefire.",
                "An Israeli military spokesperson said Israel would not allow Hezbollah to "
                "rebuild near the border.",
            ),
            recap="Israeli forces shelled villages in southern Lebanon on Monday.",
        ),
        Beat(
            story="lebanon",
            day=5,
            dateline="Beirut",
            headlines=(
                "France and US call for calm on Israel-Lebanon border",
                "UN peacekeepers urge restraint in southern Lebanon",
            ),
            leads=(
                "France and the United States called on Israel and Lebanon on {wd} to respect "
                "the ceasefire.",
                "UN peacekeepers in southern Lebanon urged Israel and Hezbollah on {wd} to show "
                "restraint.",
            ),
            details=(
                "The two countries chair the committee that monitors the ceasefire.",
                "Lebanon's army deployed more troops south of the Litani river.",
            ),
            quotes=(
                "France's foreign ministry said the ceasefire must hold.",
                "A UN peacekeeping spokesperson said the situation was tense but calm.",
            ),
        ),
        Beat(
            story="lebanon",
            day=7,
            dateline="Beirut",
            headlines=(
                "Lebanon accuses Israel of violating ceasefire",
                "Lebanon files complaint at UN over Israeli strikes",
            ),
            leads=(
                "Lebanon accused Israel on {wd} of violating the ceasefire more than a hundred "
                "times in a month.",
                "Lebanon filed a complaint against Israel at the UN Security Council on {wd}.",
            ),
            details=(
                "Israel rejected the complaint and said it was enforcing the ceasefire.",
                "The complaint lists drone flights, shelling and the demolition of houses.",
            ),
            quotes=(
                "Lebanon's foreign ministry said the international community must act.",
                "An Israeli official said Hezbollah was the one breaking the agreement.",
            ),
        ),
        Beat(
            story="lebanon",
            day=9,
            dateline="Beirut",
            headlines=(
                "Israel and Lebanon agree to indirect talks on border",
                "US brokers new talks between Israel and Lebanon",
            ),
            leads=(
                "Israel and Lebanon agreed on {wd} to hold indirect talks on their land border.",
                "The United States announced on {wd} that Israel and Lebanon had agreed to "
                "indirect talks on the border.",
            ),
            details=(
                "The talks will take place at the UN post in Naqoura.",
                "Hezbollah said it would not oppose the talks.",
            ),
            quotes=(
                "Lebanon's president said Lebanon wanted its land back, not a new war.",
                "A US envoy said both sides had shown courage.",
            ),
        ),
    ),
)

ASIA = Story(
    key="asia",
    title="Diplomacy and trade in Asia",
    section="Asia-Pacific",
    background=(
        "China is Brazil's largest trading partner and the main buyer of its soybeans and iron "
        "ore.",
        "India and Japan hold a summit every year and have deepened defence ties since 2014.",
        "Indonesia and Australia signed a defence cooperation agreement in 2024.",
        "China and Vietnam both claim the Paracel Islands in the South China Sea.",
    ),
    beats=(
        Beat(
            story="asia",
            day=1,
            dateline="Brasilia",
            headlines=(
                "China's foreign minister visits Brazil, trade deals signed",
                "Brazil and China sign agreements on soybeans and railways",
            ),
            leads=(
                "China's foreign minister visited Brazil on {wd} and met Brazil's president in "
                "Brasilia.",
                "Brazil and China signed agreements on soybean exports and railway investment "
                "in Brasilia on {wd}.",
            ),
            details=(
                "The two countries agreed to study a railway from Brazil's farm belt to a port "
                "in Peru.",
                "Brazil's foreign ministry said trade with China reached a record last year.",
            ),
            quotes=(
                "Brazil's president said Brazil would trade with everyone.",
                "China's foreign minister said China and Brazil were natural partners.",
            ),
        ),
        Beat(
            story="asia",
            day=4,
            dateline="New Delhi",
            headlines=(
                "India and Japan hold defence talks in New Delhi",
                "Japan, India agree to expand joint exercises",
            ),
            leads=(
                "India and Japan held talks in New Delhi on {wd} on defence cooperation.",
                "Japan's defence minister met India's defence minister in New Delhi on {wd}.",
            ),
            details=(
                "The two sides agreed to hold more joint naval exercises.",
                "They also discussed building ships together.",
            ),
            quotes=(
                "India's defence ministry said the partnership was vital for a free and open "
                "Indo-Pacific.",
                "Japan's defence minister said Japan and India shared the same values.",
            ),
        ),
        Beat(
            story="asia",
            day=6,
            dateline="Jakarta",
            wire=True,
            headlines=(
                "Indonesia and Australia sign security agreement",
                "Jakarta and Canberra seal new security pact",
                "Australia, Indonesia agree to deepen security ties",
            ),
            leads=(
                "Indonesia and Australia signed a security agreement in Jakarta on {wd}.",
                "Australia and Indonesia signed a new security agreement on {wd} during a visit "
                "by Australia's prime minister to Jakarta.",
                "Indonesia's president and Australia's prime minister signed a security pact in "
                "Jakarta on {wd}.",
            ),
            details=(
                "The agreement commits the two countries to consult each other in a crisis.",
                "It also covers maritime patrols and disaster relief.",
                "China said it hoped the agreement was not aimed at a third party.",
            ),
            quotes=(
                "Australia's prime minister said the agreement was the most important in the "
                "relationship's history.",
                "Indonesia's foreign ministry said Indonesia remained non-aligned.",
            ),
            recap="Indonesia and Australia signed a security agreement on Friday.",
        ),
        Beat(
            story="asia",
            day=8,
            dateline="Hanoi",
            headlines=(
                "Vietnam accuses China of ramming fishing boat",
                "Hanoi protests to Beijing over incident near Paracels",
            ),
            leads=(
                "Vietnam accused China on {wd} of ramming a Vietnamese fishing boat near the "
                "Paracel Islands.",
                "Vietnam's foreign ministry protested to China on {wd} after a Chinese coast "
                "guard ship rammed a fishing boat.",
            ),
            details=(
                "Four fishermen were injured, Vietnamese state media said.",
                "China rejected the protest and said the boat was fishing illegally.",
            ),
            quotes=(
                "Vietnam's foreign ministry spokesperson said Vietnam demanded compensation.",
                "China's foreign ministry said the Paracels were Chinese territory.",
            ),
        ),
        Beat(
            story="asia",
            day=10,
            dateline="Manila",
            headlines=(
                "Philippines and Japan sign defence deal",
                "Manila and Tokyo agree on troop visits",
            ),
            leads=(
                "The Philippines and Japan signed an agreement on {wd} that lets their troops "
                "train in each other's countries.",
                "Japan and the Philippines agreed on {wd} to hold joint exercises in the South "
                "China Sea.",
            ),
            details=(
                "China criticised the agreement.",
                "The deal needs the approval of both parliaments.",
            ),
            quotes=(
                "The Philippine defence secretary said the agreement made the region safer.",
                "China's foreign ministry said military blocs raised tensions.",
            ),
        ),
    ),
)

KOREA = Story(
    key="korea",
    title="Korean peninsula",
    section="Asia-Pacific",
    background=(
        "North Korea has carried out dozens of missile tests since 2022.",
        "The United States keeps about 28,000 troops in South Korea.",
        "The two Koreas remain technically at war because the 1950-53 war ended in an "
        "armistice, not a peace treaty.",
    ),
    beats=(
        Beat(
            story="korea",
            day=3,
            dateline="Seoul",
            wire=True,
            headlines=(
                "North Korea fires ballistic missile into sea",
                "South Korea and Japan condemn North Korean missile launch",
                "Pyongyang test-fires missile off east coast",
            ),
            leads=(
                "North Korea fired a ballistic missile into the sea off its east coast on {wd}, "
                "South Korea's military said.",
                "South Korea and Japan condemned North Korea on {wd} for launching a ballistic "
                "missile.",
                "North Korea launched a ballistic missile towards the Sea of Japan on {wd}.",
            ),
            details=(
                "The missile flew about 600 kilometres before falling into the sea.",
                "Japan's prime minister said the launch was a threat to peace.",
                "It was North Korea's first missile launch this year.",
            ),
            quotes=(
                "South Korea's joint chiefs of staff said they were analysing the flight data.",
                "Japan's defence ministry said the missile landed outside Japan's exclusive "
                "economic zone.",
            ),
            recap="North Korea fired a ballistic missile on Tuesday.",
        ),
        Beat(
            story="korea",
            day=5,
            dateline="Seoul",
            headlines=(
                "US and South Korea begin joint military exercises",
                "North Korea threatens response to allied drills",
            ),
            leads=(
                "The United States and South Korea began joint military exercises on {wd}.",
                "North Korea threatened on {wd} to take strong measures against the joint "
                "exercises by the United States and South Korea.",
            ),
            details=(
                "The exercises will last eleven days and involve about 20,000 troops.",
                "The allies say the drills are defensive.",
            ),
            quotes=(
                "North Korea's state news agency said the drills were a rehearsal for invasion.",
                "South Korea's defence ministry said the exercises were routine.",
            ),
        ),
        Beat(
            story="korea",
            day=9,
            dateline="Beijing",
            headlines=(
                "China urges restraint on Korean peninsula",
                "Beijing calls for talks as tensions rise in Korea",
            ),
            leads=(
                "China urged North Korea and the United States on {wd} to show restraint.",
                "China called on all sides on the Korean peninsula on {wd} to return to talks.",
            ),
            details=(
                "China is North Korea's main ally and trading partner.",
                "Russia made a similar statement.",
            ),
            quotes=(
                "China's foreign ministry spokesperson said dialogue was the only way out.",
                "A South Korean official said China could do more.",
            ),
        ),
    ),
)

STORIES: tuple[Story, ...] = (
    CAUCASUS,
    SUDAN,
    SANCTIONS,
    GEORGIA,
    MOZAMBIQUE,
    LEBANON,
    ASIA,
    KOREA,
)
