"""Report structure: headings and their levels, title, salutations, sign-off, section paths."""

from .headings import (Part, analyse, is_marked_heading, is_plain_heading, is_salutation, marker,
                       unmarked_subheadings)

__all__ = ["Part", "analyse", "is_marked_heading", "is_plain_heading", "is_salutation", "marker",
           "unmarked_subheadings"]
