"""How an attempt is scored: on the server, from the answers and the quiz's options, never from a browser.

- One point per question, all or nothing: a single-choice or true/false question is right when the one option
  chosen is a right one; a multiple-choice question is right when the options chosen are exactly the right ones
  (a right one missing or a wrong one chosen: no point). A question left unanswered is wrong.
- **Pass** is decided in whole numbers, without rounding: passed when correct × 100 ≥ pass mark × questions.
  2 of 3 right (66.67 %) fails a pass mark of 67; 4 of 5 passes 80.
- **The percentage shown** is exact (`Decimal`) and rounded **down** to one decimal: 2 of 3 is 66.6 %. Rounding
  down keeps what is shown consistent with the pass: a failed attempt never shows the pass mark or more.
"""
from decimal import Decimal

from bibnet.elearning.quizzes.models import QuestionKind, QuizQuestion


def is_right(question: QuizQuestion, chosen: set[int]) -> bool:
    right = {option.id for option in question.options if option.correct}
    if question.kind is QuestionKind.MULTIPLE:
        return bool(right) and chosen == right
    return len(chosen) == 1 and chosen <= right


def passes(correct: int, questions: int, pass_mark: int) -> bool:
    return correct * 100 >= pass_mark * questions


def percent(correct: int, questions: int) -> Decimal:
    """The share answered right, in percent, rounded down to one decimal (no questions: 0)."""
    if questions == 0:
        return Decimal("0.0")
    return Decimal(correct * 1000 // questions).scaleb(-1)  # whole tenths, floored: exact, no float, no context
