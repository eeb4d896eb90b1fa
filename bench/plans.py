"""What the bench data set holds, decided before anything touches the database.

A plan describes each generated report the way the desk thinks of it (its
text, the language it was written in, which languages are translated, which
translations are outdated or machine drafts, published or not, when) and
knows nothing of tables or columns. ``bench/generate.py`` turns plans into
rows of the current schema; when the schema changes, only that side does.

The text comes from the demo reports (articles/demo/reports/), so pages have
the length, scripts and Markdown of real ones. Everything is drawn from a
seeded random generator: the same size gives the same data set.
"""

import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEMO_REPORTS = Path(__file__).resolve().parent.parent / "articles" / "demo" / "reports"

# The mix of a working desk: most reports are translated into every
# language; the rest miss a few languages or have only a headline in one.
COMPLETE_SHARE = 0.85
WRITTEN_IN_DEFAULT_SHARE = 0.8
OUTDATED_SHARE = 0.03
MACHINE_MADE_SHARE = 0.01
IN_REVIEW_SHARE = 0.02
DRAFT_SHARE = 0.02
SCHEDULED_SHARE = 0.01
REPORTS_PER_DAY = 30


@dataclass(frozen=True)
class Text:
    headline: str
    summary: str
    body: str


@dataclass(frozen=True)
class Template:
    """One demo report: its text in each language and its shared details."""

    key: str
    texts: dict
    section: str
    source_name: str
    source_url: str
    source_language: str
    compiled_by: str


@dataclass
class ReportPlan:
    number: int
    template: Template
    section: str
    original_language: str
    # language -> "complete" or "headline" (a translation begun: only its headline)
    translations: dict
    published: bool
    published_at: datetime.datetime
    source_date: datetime.date
    # Languages whose body was translated from an earlier source text.
    outdated: set = field(default_factory=set)
    # Languages whose text is an unreviewed machine draft.
    machine_made: set = field(default_factory=set)
    # Languages translated and waiting for a reviewer to publish them.
    in_review: set = field(default_factory=set)

    def is_live(self, language):
        """Whether readers of ``language`` see this language's text (once the report is out)."""
        if language == self.original_language:
            return self.published
        complete = self.translations.get(language) == "complete"
        return complete and self.published and language not in self.machine_made | self.in_review

    def text(self, language):
        return self.template.texts[language]


def read_text(path):
    """Headline, summary (the first paragraph) and body of a report file in the import format."""
    _empty, front, markdown = path.read_text(encoding="utf-8").split("---\n", 2)
    lines = markdown.strip().splitlines()
    headline = lines[0].removeprefix("# ").strip()
    summary, _blank, body = "\n".join(lines[1:]).strip().partition("\n\n")
    return yaml.safe_load(front), Text(headline, summary.strip(), body.strip())


def demo_templates(languages):
    """The demo reports, each with its text in those of ``languages`` it has, in a stable order."""
    templates = []
    for folder in sorted(DEMO_REPORTS.iterdir()):
        if not (folder / f"{languages[0]}.md").exists():
            continue
        texts = {}
        for language in languages:
            if (folder / f"{language}.md").exists():
                front, texts[language] = read_text(folder / f"{language}.md")
                if language == languages[0]:
                    shared = front
        templates.append(
            Template(
                key=folder.name,
                texts=texts,
                section=shared["section"],
                source_name=shared["source"],
                source_url=shared.get("source_url", ""),
                source_language=shared.get("source_language", ""),
                compiled_by=shared.get("compiled_by", ""),
            )
        )
    if not templates:
        raise SystemExit(f"No demo report under {DEMO_REPORTS} is written in {languages[0]}.")
    return templates


def report_plans(count, languages, sections, now, seed=2026):
    """``count`` report plans, oldest first, the newest published an hour before ``now``.

    ``languages`` are the site's, the default first; ``sections`` the section
    slugs to spread the reports over.
    """
    rng = random.Random(seed)
    templates = demo_templates(languages)
    # Reports translated into every language make the bulk of a desk's work;
    # the demo's partly translated reports would make too many gaps.
    templates = [template for template in templates if len(template.texts) == len(languages)] or templates
    default = languages[0]
    newest = now - datetime.timedelta(hours=1)
    step = datetime.timedelta(days=1) / REPORTS_PER_DAY
    for number in range(count):
        template = templates[number % len(templates)]
        written = [language for language in languages if language in template.texts]
        others = written[1:]
        original = default if rng.random() < WRITTEN_IN_DEFAULT_SHARE or not others else rng.choice(others)
        translations = dict.fromkeys(written, "complete")
        if rng.random() >= COMPLETE_SHARE:
            candidates = [language for language in written if language != original]
            for language in rng.sample(candidates, rng.randint(1, len(candidates))):
                translations.pop(language)
            if rng.random() < 0.3 and len(translations) < len(written):
                begun = rng.choice([language for language in written if language not in translations])
                translations[begun] = "headline"
        translated = [
            language for language, state in translations.items() if state == "complete" and language != original
        ]
        published_at = newest - step * (count - 1 - number)
        roll = rng.random()
        scheduled = roll < SCHEDULED_SHARE
        if scheduled:
            published_at = now + datetime.timedelta(days=rng.randint(1, 30))
        machine_made = {language for language in translated if rng.random() < MACHINE_MADE_SHARE}
        waiting = [language for language in translated if language not in machine_made]
        yield ReportPlan(
            number=number,
            template=template,
            section=rng.choice(sections),
            original_language=original,
            translations=translations,
            published=not (SCHEDULED_SHARE <= roll < SCHEDULED_SHARE + DRAFT_SHARE),
            published_at=published_at,
            source_date=(published_at - datetime.timedelta(days=1)).date(),
            outdated={language for language in translated if rng.random() < OUTDATED_SHARE},
            machine_made=machine_made,
            in_review={language for language in waiting if rng.random() < IN_REVIEW_SHARE},
        )
