"""The article view's single-key shortcuts: which actions have one, their default keys, and how a
person's remapping is checked (WCAG 2.1.4, Character Key Shortcuts: they can be turned off or
remapped; accounts.models.UserPreference keeps the choice)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    default: tuple[str, ...]
    curate: bool = False  # only for people who may curate claims


ACTIONS: tuple[Action, ...] = (
    Action("next", "Next undecided candidate", ("j", "n")),
    Action("previous", "Previous undecided candidate", ("k", "p")),
    Action("accept", "Accept the selected claim", ("a",), curate=True),
    Action("reject", "Reject the selected claim", ("r", "x"), curate=True),
    Action("type", "Change the type", ("t",), curate=True),
    Action("speaker", "Change the speaker", ("s",), curate=True),
    Action("create", "Mark the selected text as a claim", ("c",), curate=True),
    Action("open", "Open the claim page (sources, verdict)", ("o",)),
    Action(
        "undo",
        "Undo the last decision or edit (accept, reject, type, speaker, or a bulk decision)",
        ("u",),
        curate=True,
    ),
    Action("help", "Show the keyboard shortcuts", ("?",)),
)
BY_NAME = {action.name: action for action in ACTIONS}


def keys_parse(text: str) -> tuple[str, ...]:
    """ "j n" or "j, n" → ("j", "n"); keys are single printable characters (letters lower-cased)."""
    return tuple(dict.fromkeys(k.lower() if k.isalpha() else k for k in text.replace(",", " ").split()))


def keymap_problems(keys: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong with a full keymap {action: keys}: unknown actions, keys that are not one
    printable character, or a key given to two actions. An action may have no key."""
    problems, owner = [], {}
    for name, action_keys in keys.items():
        if name not in BY_NAME:
            problems.append(f"unknown shortcut action {name!r}")
            continue
        for key in action_keys:
            if len(key) != 1 or not key.isprintable() or key.isspace():
                problems.append(f"{BY_NAME[name].label}: {key!r} is not a single character key")
            elif key in owner and owner[key] != name:
                problems.append(f"{key!r} is given to both “{BY_NAME[owner[key]].label}” and “{BY_NAME[name].label}”")
            else:
                owner[key] = name
    return problems


def keymap_resolve(overrides: dict) -> dict[str, list[str]]:
    """Every action's keys: the person's overrides on top of the defaults."""
    return {a.name: list(overrides.get(a.name, a.default)) for a in ACTIONS}
