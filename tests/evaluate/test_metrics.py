from policytag.evaluate.metrics import CATEGORIES, EntityScorer, category_scores, prf


def test_prf():
    assert prf(2, 1, 1) == {"p": 2 / 3, "r": 2 / 3, "f": 2 / 3, "tp": 2, "fp": 1, "fn": 1, "support": 3}
    assert prf(0, 0, 0)["f"] == 0.0


def test_entity_scorer_exact_spans_and_readings():
    gold = [{"start": 0, "end": 5, "label": "AMOUNT", "text": "118亿元", "value": 1.18e10, "unit": "CNY", "comparator": "="},
            {"start": 8, "end": 12, "label": "COMPANY", "text": "国家电网"},
            {"start": 13, "end": 17, "label": "AMOUNT", "text": "500多台", "value": [500, 600], "unit": "台", "comparator": "="}]
    pred = [{"start": 0, "end": 5, "label": "AMOUNT", "text": "118亿元", "value": 11800000000.0, "unit": "CNY", "comparator": "="},
            {"start": 8, "end": 11, "label": "COMPANY", "text": "国家电"},
            {"start": 13, "end": 17, "label": "AMOUNT", "text": "500多台", "value": [500, 600], "unit": "台", "comparator": ">="}]
    s = EntityScorer()
    s.add(gold, pred)
    r = s.result()
    assert r["per_label"]["AMOUNT"]["f"] == 1.0
    assert r["per_label"]["COMPANY"]["tp"] == 0 and r["per_label"]["COMPANY"]["fp"] == 1
    assert r["amount_readings"] == {"matched": 2, "correct": 1, "accuracy": 0.5}


def test_category_scores_macro_over_present_classes():
    gold = ["GOAL", "GOAL", "PROBLEM", "OTHER"]
    pred = ["GOAL", "OTHER", "PROBLEM", "OTHER"]
    r = category_scores(gold, pred)
    assert r["per_category"]["GOAL"]["f"] == 2 / 3
    assert abs(r["macro_f1"] - (2 / 3 + 1 + 2 / 3) / 3) < 1e-9
    assert r["confusion"]["GOAL"]["OTHER"] == 1 and r["accuracy"] == 0.75


def test_render_names_what_each_system_is():
    from policytag.evaluate.runner import render

    cats = {"per_category": {c: {"p": 1.0, "r": 1.0, "f": 1.0} for c in CATEGORIES}, "macro_f1": 1.0, "accuracy": 1.0,
            "confusion": {g: {p: 0 for p in CATEGORIES} for g in CATEGORIES}}
    text = render({"split": "dev", "paragraphs": 3, "systems": {"model": {"categories": cats},
                                                                "sklearn": {"categories": cats}}})
    assert "sklearn: TF-IDF character 1-3-grams of the paragraph + logistic regression" in text
    assert "model: the pipeline as shipped" in text and "textcat:" not in text
