"""The report context: a report's paragraphs revise each other's category scores (forward-backward over counted
category transitions); the classifier applies it to whole reports only, and it survives a save and load."""

import pytest
import spacy

from policytag.components.categories.context import ReportContext
from policytag.components.categories.model import CATEGORIES, Example
from policytag.pipeline.records import ParagraphInput
from policytag.pipeline.tagging import report_runs, tag_docs

# training reports: a review section of results, then a list of targets, then tasks
REPORTS = [["OTHER", "ACHIEVEMENT", "ACHIEVEMENT", "ACHIEVEMENT", "OTHER", "GOAL", "GOAL", "GOAL", "OTHER",
            "MEASURE", "MEASURE", "MEASURE"]] * 5


def scores(**kw):
    rest = (1 - sum(kw.values())) / (len(CATEGORIES) - len(kw))
    return {c: kw.get(c, rest) for c in CATEGORIES}


def top(s):
    return max(s, key=s.get)


def test_counts_are_smoothed_distributions():
    ctx = ReportContext.fit(REPORTS)
    for row in ctx.transitions + [ctx.start, ctx.prior]:
        assert abs(sum(row) - 1) < 1e-9 and min(row) > 0  # add-one: an unseen transition is rare, not impossible
    g, m = CATEGORIES.index("GOAL"), CATEGORIES.index("MEASURE")
    assert ctx.transitions[g][g] > ctx.transitions[g][m]


def test_an_uncertain_paragraph_between_targets_becomes_a_target():
    ctx = ReportContext.fit(REPORTS, transition_weight=0.5, prior_power=0.0)
    sure_goal = scores(GOAL=0.8)
    torn = scores(GOAL=0.36, MEASURE=0.40)  # alone: MEASURE by a hair
    out = ctx.apply([sure_goal, torn, sure_goal])
    assert top(torn) == "MEASURE" and top(out[1]) == "GOAL"
    assert all(abs(sum(s.values()) - 1) < 1e-9 for s in out)
    # a confident paragraph keeps its category among other neighbours
    assert top(ctx.apply([sure_goal, scores(MEASURE=0.9), sure_goal])[1]) == "MEASURE"


def test_a_subheading_line_is_read_as_other_whatever_its_words():
    ctx = ReportContext.fit(REPORTS)
    measure = scores(MEASURE=0.8)
    out = ctx.apply([measure, measure, measure], [False, True, False])
    assert top(out[1]) == "OTHER" and top(out[0]) == top(out[2]) == "MEASURE"
    assert ctx.apply([measure] * 3, [False] * 3) == ctx.apply([measure] * 3)
    with pytest.raises(ValueError):
        ctx.apply([measure] * 3, [True])


def test_weight_zero_and_no_prior_keep_the_scores():
    ctx = ReportContext.fit(REPORTS, transition_weight=0.0, prior_power=0.0)
    seq = [scores(GOAL=0.5), scores(MEASURE=0.6), scores(OTHER=0.3, PROBLEM=0.31)]
    for before, after in zip(seq, ctx.apply(seq)):
        assert all(abs(before[c] - after[c]) < 1e-6 for c in CATEGORIES)
    assert ctx.apply([]) == []


def test_fit_needs_a_report_and_known_categories():
    with pytest.raises(ValueError):
        ReportContext.fit([[]])
    with pytest.raises(KeyError):
        ReportContext.fit([["GOAL", "TARGET"]])
    with pytest.raises(ValueError):
        ReportContext([[0.2] * 5] * 4, [0.2] * 5, [0.2] * 5)


def test_save_and_load(tmp_path):
    ctx = ReportContext.fit(REPORTS)
    ctx.save(tmp_path / "c.json")
    again = ReportContext.load(tmp_path / "c.json")
    assert again.to_dict() == ctx.to_dict()
    seq = [scores(GOAL=0.5), scores(MEASURE=0.45)]
    assert again.apply(seq) == ctx.apply(seq)


def test_report_runs_split_documents_and_gaps():
    def inp(doc, i):
        return ParagraphInput(doc=doc, index=i, text="x", section=[], source_span=(0, 1))
    inputs = [inp("a", 0), inp("a", 1), inp("a", 2), inp("b", 0), inp("b", 1), inp("a", 5), inp("a", 6), inp("c", 3)]
    assert report_runs(inputs) == [(0, 3), (3, 5), (5, 7), (7, 8)]
    assert report_runs([]) == []


class _Fixed:
    """A stand-in scikit-learn model: fixed scores by text."""

    def __init__(self, table):
        self.table = table

    def predict_proba(self, examples):
        return [dict(self.table[e.text]) for e in examples]


def _pipeline(tmp_path):
    from policytag import extensions  # noqa: F401

    table = {"目标一": scores(GOAL=0.8), "难说": scores(GOAL=0.36, MEASURE=0.40), "目标二": scores(GOAL=0.8)}
    nlp = spacy.blank("zh")
    clf = nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "sklearn"})
    clf.model = _Fixed(table)
    clf.context = ReportContext.fit(REPORTS, transition_weight=0.5, prior_power=0.0)
    return nlp, clf


def test_tag_docs_applies_the_context_to_each_report_only(tmp_path):
    nlp, clf = _pipeline(tmp_path)
    texts = ["目标一", "难说", "目标二"]
    report = [ParagraphInput(doc="r", index=i, text=t, section=[], source_span=(0, len(t))) for i, t in enumerate(texts)]
    assert [top(d.cats) for d in tag_docs(nlp, report)] == ["GOAL", "GOAL", "GOAL"]
    # the paragraph alone (nlp.pipe, a JSONL record, or context switched off) keeps its own scores
    assert top(nlp("难说").cats) == "MEASURE"
    assert [top(d.cats) for d in tag_docs(nlp, report, context=False)][1] == "MEASURE"
    lone = [ParagraphInput(doc=f"r{i}", index=0, text=t, section=[], source_span=(0, len(t))) for i, t in enumerate(texts)]
    assert [top(d.cats) for d in tag_docs(nlp, lone)][1] == "MEASURE"
    clf.report_context = False
    assert [top(d.cats) for d in tag_docs(nlp, report)][1] == "MEASURE"


def test_revise_reads_the_report_s_unmarked_subheadings_as_other(tmp_path):
    nlp, clf = _pipeline(tmp_path)
    body = "今年要进一步推进财税体制改革，理顺中央与地方的分配关系，规范转移支付制度，加强税收征管，严格控制一般性支出。"
    line = "认真实施财税改革方案。"
    sure = scores(MEASURE=0.8)
    paragraphs = [Example(t, ["二、今年的主要任务"]) for t in (body, line, body)]
    assert [top(s) for s in clf.revise([sure] * 3, paragraphs)] == ["MEASURE", "OTHER", "MEASURE"]
    assert [top(s) for s in clf.revise([sure] * 3)] == ["MEASURE"] * 3  # without the texts: scores alone
    assert top(clf.revise([sure], paragraphs[1:2])[0]) == "MEASURE"  # a lone paragraph keeps its own
    clf.model.table.update({body: sure, line: sure})
    report = [ParagraphInput(doc="r", index=i, text=t, section=[], source_span=(0, len(t)))
              for i, t in enumerate((body, line, body))]
    assert [top(d.cats) for d in tag_docs(nlp, report)] == ["MEASURE", "OTHER", "MEASURE"]
    assert top(nlp(line).cats) == "MEASURE"


def test_the_rules_mode_has_no_context(tmp_path):
    nlp, clf = _pipeline(tmp_path)
    clf.mode = "rules"
    assert not clf.uses_context


def test_the_context_is_saved_with_the_pipeline(tmp_path):
    nlp, clf = _pipeline(tmp_path)
    clf.model = None  # only the context file is under test here
    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / "policytag_paragraph_classifier" / "report_context.json").exists()
    again = spacy.load(tmp_path / "p").get_pipe("policytag_paragraph_classifier")
    assert again.context.to_dict() == clf.context.to_dict() and again.report_context
    off = spacy.load(tmp_path / "p", config={"components": {"policytag_paragraph_classifier": {"report_context": False}}})
    assert not off.get_pipe("policytag_paragraph_classifier").report_context


def test_heading_cues_name_the_report_part_of_the_top_heading():
    from policytag.components.categories.context import heading_cue

    assert heading_cue(["二、存在的问题"]) == "PROBLEM"
    assert heading_cue(["一、2023年工作回顾", "（一）工业"]) == "ACHIEVEMENT"  # the top heading, not the nearest
    assert heading_cue(["三、2024年目标任务"]) == "GOAL+MEASURE"
    # a bare 问题 titles a topic in national reports, not the problems
    assert heading_cue(["第二，轻重工业投资的比重问题"]) == ""
    assert heading_cue([]) == "" and heading_cue(["二、存在的问题"], "heading") == ""


def test_a_problem_heading_weighs_in_for_problem():
    labels = [["OTHER", "ACHIEVEMENT", "ACHIEVEMENT", "OTHER", "PROBLEM", "PROBLEM", "OTHER", "MEASURE", "MEASURE"]] * 4
    cues = [["", "ACHIEVEMENT", "ACHIEVEMENT", "", "PROBLEM", "PROBLEM", "", "MEASURE", "MEASURE"]] * 4
    ctx = ReportContext.fit(labels, cues)
    p = CATEGORIES.index("PROBLEM")
    assert ctx.headings["PROBLEM"][p] > 1 > ctx.headings["MEASURE"][p]
    torn = scores(PROBLEM=0.35, MEASURE=0.40)
    neutral = scores(OTHER=0.5)
    assert top(ctx.apply([neutral, torn, neutral])[1]) == "MEASURE"
    assert top(ctx.apply([neutral, torn, neutral], cues=["", "PROBLEM", ""])[1]) == "PROBLEM"
    # a cue no training paragraph had changes nothing
    assert ctx.apply([torn], cues=["GOAL"]) == ctx.apply([torn])
    with pytest.raises(ValueError):
        ReportContext.fit(labels, [c[:-1] for c in cues])


def test_a_context_saved_before_heading_cues_still_loads(tmp_path):
    ctx = ReportContext.fit(REPORTS, [[""] * len(r) for r in REPORTS])
    data = ctx.to_dict()
    assert data["headings"] and ReportContext.from_dict(data).to_dict() == data
    del data["headings"], data["heading_power"]  # a session-9 report_context.json
    old = ReportContext.from_dict(data)
    seq = [scores(GOAL=0.5), scores(MEASURE=0.45)]
    assert old.headings == {} and old.apply(seq, cues=["", ""]) == old.apply(seq)
