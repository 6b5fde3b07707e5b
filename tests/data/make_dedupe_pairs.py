"""Write dedupe_pairs.yaml: labelled pairs drawn from the demo corpus.

    .venv/bin/python tests/data/make_dedupe_pairs.py > tests/data/dedupe_pairs.yaml

- reprint: every two articles of one hand-written reprint group of the corpus;
- edit: 25 original articles, each against five edited copies (new headline,
  trimmed lead, swapped paragraphs, appended footer, and all edits at once);
- different: every two unrelated articles about ministries published on the same day.
"""

import itertools

import yaml

from clipper.demo.server import load_corpus

EDIT_SETS = (["headline"], ["trim_lead"], ["swap"], ["boilerplate"],
             ["trim_lead", "swap", "attribution", "cut_tail", "boilerplate"])


def main() -> None:
    articles = load_corpus().articles
    group = {a["id"]: a.get("reprint_of", a["id"]) for a in articles}
    pairs = []
    for first, second in itertools.combinations(articles, 2):
        same_group = group[first["id"]] == group[second["id"]]
        same_day = _day(first) is not None and _day(first) == _day(second)
        if same_group or (same_day and _ministry(first) and _ministry(second)):
            pairs.append({"id": f"{first['id']}~{second['id']}",
                          "kind": "reprint" if same_group else "different",
                          "lang": _lang(first),
                          "a": {"demo": first["id"]}, "b": {"demo": second["id"]}})
    originals = [a for a in articles
                 if "reprint_of" not in a and a["body"].count("\n\n") >= 2][::6][:25]
    for article, edits in itertools.product(originals, EDIT_SETS):
        pairs.append({"id": f"{article['id']}+{'+'.join(edits)}", "kind": "edit",
                      "lang": _lang(article), "a": {"demo": article["id"]},
                      "b": {"demo": article["id"], "edits": edits}})
    print(__doc__.replace('"""', "").strip().replace("\n", "\n# ").join(("# ", "\n")))
    print(yaml.safe_dump({"pairs": pairs}, allow_unicode=True, sort_keys=False, width=100))


def _ministry(article: dict) -> bool:
    return any(word in article["body"].lower() for word in ("министр", "ministr"))


def _day(article: dict) -> str | None:
    return str(article["published"])[:10] if article.get("published") else None


def _lang(article: dict) -> str:
    outlet = article["outlet"]
    return {"egemen": "kk", "tengrinews-kk": "kk", "aikyn": "kk", "astanatimes": "en"}.get(
        outlet, "ru")


if __name__ == "__main__":
    main()
