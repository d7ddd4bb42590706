"""The check rules, one per module. Each exposes `check(ctx) -> Iterable[Diagnostic]`.

Order matters only for reading: rules run independently and all their diagnostics are reported.
"""

from formflow.check.rules import (
    answer_availability,
    assertions,
    colour_rules,
    condition_types,
    duplicate_ids,
    empty_blocks,
    expression_types,
    flow_id,
    missing_outcome,
    nested_pages,
    options,
    outcomes,
    pdf_declarations,
    question_attributes,
    question_ranges,
    reserved_words,
    settings,
    texts,
    undefined_names,
    unreachable,
    unused,
)

ALL_RULES = (
    settings,
    duplicate_ids,
    reserved_words,
    undefined_names,
    answer_availability,
    expression_types,
    condition_types,
    question_attributes,
    question_ranges,
    options,
    outcomes,
    pdf_declarations,
    colour_rules,
    assertions,
    texts,
    empty_blocks,
    nested_pages,
    unreachable,
    missing_outcome,
    unused,
    flow_id,
)
