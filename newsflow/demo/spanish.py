"""The demo's Spanish-language outlet: articles written in Spanish for newsflow.

They follow the same storylines as the English outlets.  The annotator codes
English only for now, so these land as articles and are recorded as
``skipped_language`` rather than silently dropped, which is what the demo
shows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpanishArticle:
    day: int
    story: str
    slug: str
    headline: str
    paragraphs: tuple[str, ...]


ARTICLES: tuple[SpanishArticle, ...] = (
    SpanishArticle(
        day=1,
        story="georgia",
        slug="miles-de-manifestantes-tiflis-ley-medios",
        headline="Miles de manifestantes se concentran en Tiflis contra la nueva ley de medios",
        paragraphs=(
            "Miles de personas se manifestaron el domingo frente al Parlamento de Georgia, en "
            "Tiflis, contra un proyecto de ley que obligaría a los medios con financiación "
            "extranjera a registrarse ante el Estado.",
            "Los manifestantes portaban banderas georgianas y de la Unión Europea y corearon "
            "consignas a favor de la integración europea del país.",
            "El partido del Gobierno sostiene que la ley solo busca transparencia, pero la "
            "oposición la compara con la legislación rusa sobre agentes extranjeros.",
            "La concentración transcurrió sin incidentes y terminó poco después de la medianoche.",
        ),
    ),
    SpanishArticle(
        day=3,
        story="caucasus",
        slug="armenia-azerbaiyan-firman-acuerdo-frontera",
        headline="Armenia y Azerbaiyán firman en Bruselas un acuerdo sobre su frontera",
        paragraphs=(
            "Armenia y Azerbaiyán firmaron el martes en Bruselas un acuerdo para delimitar su "
            "frontera común, tras tres días de negociaciones con mediación de la Unión Europea.",
            "El acuerdo crea una comisión conjunta que empezará a trabajar en el norte, donde "
            "los dos ejércitos están más cerca.",
            "La Unión Europea celebró el pacto y prometió fondos para el desminado de la zona.",
            "Rusia criticó el acuerdo y afirmó que la seguridad de la región no puede decidirse "
            "en Bruselas.",
        ),
    ),
    SpanishArticle(
        day=4,
        story="sudan",
        slug="onu-condena-bombardeo-el-fasher",
        headline="La ONU condena el bombardeo de un hospital y un mercado en El Fasher",
        paragraphs=(
            "Las Fuerzas de Apoyo Rápido bombardearon el miércoles la ciudad sudanesa de El "
            "Fasher y alcanzaron un mercado y un hospital, según Naciones Unidas.",
            "Al menos 19 personas murieron y decenas resultaron heridas, de acuerdo con "
            "trabajadores sanitarios locales.",
            "La Organización Mundial de la Salud recordó que el hospital era uno de los últimos "
            "que seguían funcionando en la ciudad.",
            "La guerra entre el Ejército de Sudán y las Fuerzas de Apoyo Rápido comenzó en abril "
            "de 2023 y ha obligado a millones de personas a abandonar sus hogares.",
        ),
    ),
    SpanishArticle(
        day=5,
        story="sanctions",
        slug="ue-nuevas-sanciones-rusia",
        headline="La UE aprueba un nuevo paquete de sanciones contra Rusia",
        paragraphs=(
            "La Unión Europea impuso el jueves nuevas sanciones a Rusia dirigidas a bancos y "
            "petroleros que ayudan a Moscú a vender su crudo.",
            "El paquete prohíbe también la exportación de algunas máquinas herramienta.",
            "Rusia amenazó con represalias contra empresas europeas y calificó las medidas de "
            "inútiles.",
            "Hungría había retrasado la aprobación durante dos semanas.",
        ),
    ),
    SpanishArticle(
        day=6,
        story="mozambique",
        slug="mozambique-inundaciones-ayuda-internacional",
        headline="Llega la ayuda internacional a Mozambique tras las inundaciones",
        paragraphs=(
            "Sudáfrica, Japón y la Unión Europea enviaron ayuda a Mozambique, donde las "
            "inundaciones en la provincia de Sofala han causado al menos 40 muertos.",
            "Más de 60.000 personas han tenido que abandonar sus casas y se han detectado casos "
            "de cólera en dos campamentos cerca de Beira.",
            "El Banco Mundial aprobó un préstamo de emergencia de 120 millones de dólares para "
            "reconstruir carreteras y puentes.",
        ),
    ),
    SpanishArticle(
        day=7,
        story="caucasus",
        slug="armenia-denuncia-bombardeo-azerbaiyan",
        headline="Armenia denuncia que Azerbaiyán bombardeó sus posiciones fronterizas",
        paragraphs=(
            "El Ministerio de Defensa de Armenia denunció el sábado que fuerzas azerbaiyanas "
            "bombardearon sus posiciones cerca de la localidad de Sotk e hirieron a dos "
            "soldados.",
            "Azerbaiyán negó la acusación y culpó a Armenia de provocar el enfrentamiento.",
            "Francia condenó el ataque y pidió el cese inmediato de los combates, apenas cuatro "
            "días después de la firma del acuerdo fronterizo.",
        ),
    ),
    SpanishArticle(
        day=8,
        story="georgia",
        slug="detenido-lider-opositor-georgia",
        headline="La policía georgiana detiene a un líder de la oposición",
        paragraphs=(
            "La policía de Georgia detuvo el domingo en Tiflis al dirigente opositor Irakli "
            "Beradze, acusado por el Ministerio del Interior de organizar disturbios.",
            "Su partido calificó la detención de política y cientos de simpatizantes se "
            "concentraron ante la comisaría.",
            "La Unión Europea estudia restringir los visados de varios altos cargos georgianos.",
        ),
    ),
    SpanishArticle(
        day=9,
        story="sudan",
        slug="eeuu-sanciona-comandantes-far",
        headline="Estados Unidos sanciona a tres comandantes de las Fuerzas de Apoyo Rápido",
        paragraphs=(
            "Estados Unidos impuso el lunes sanciones a tres comandantes de las Fuerzas de Apoyo "
            "Rápido de Sudán por los ataques contra civiles en Darfur.",
            "Las sanciones congelan los bienes que los comandantes puedan tener en Estados Unidos.",
            "Las Fuerzas de Apoyo Rápido rechazaron la medida y la calificaron de maniobra "
            "política.",
        ),
    ),
)
