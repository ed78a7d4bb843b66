"""PHP bracket notation for form fields: `tags[]=a`, `attachmentsInput[0][filename]=x.jpg`, `a[b][c]=1`."""

import re

MAX_DEPTH = 16
MAX_INDEX = 1000

_INDEX = re.compile(r"0|[1-9][0-9]*")


class FormFormatError(ValueError):
    """A form field name that is nested too deeply or indexes too far."""


class _Array(dict):
    """A PHP array under construction: string keys in insertion order and the next free integer index."""

    def __init__(self):
        super().__init__()
        self.next_index = 0

    def set(self, key, value):
        """Set key (None appends at the next free index, as `[]` does) and return the key used."""
        if key is None:
            key = str(self.next_index)
        if _INDEX.fullmatch(key):
            self.next_index = max(self.next_index, int(key) + 1)
        self[key] = value
        return key


def _split_name(name):
    """Split a field name into its base and bracket keys (None for `[]`); None keys when not an array."""
    name = name.lstrip(" ")
    opening = name.find("[")
    if opening == 0:
        return "", None  # No name before the bracket: PHP drops the field.
    if opening < 0:
        return name, None
    base, keys, position = name[:opening], [], opening
    while position < len(name) and name[position] == "[":
        closing = name.find("]", position + 1)
        if closing < 0:
            if not keys:
                return name, None  # An unclosed first bracket: the whole name is a plain key.
            break  # PHP ignores an unclosed bracket after a complete one.
        key = name[position + 1 : closing]
        keys.append(None if key in ("", " ") else key)
        if len(keys) > MAX_DEPTH:
            raise FormFormatError(f'Form field "{base}" is nested more than {MAX_DEPTH} levels deep.')
        position = closing + 1
    for key in keys:
        if key is not None and _INDEX.fullmatch(key) and int(key) > MAX_INDEX:
            raise FormFormatError(f'Form field "{base}" has an index over {MAX_INDEX}.')
    return base, keys


def _finish(value, top=False):
    """Turn arrays whose keys are all integer indexes into lists ordered by index, the rest into dicts."""
    if not isinstance(value, _Array):
        return value
    if not top and value and all(_INDEX.fullmatch(key) for key in value):
        return [_finish(value[key]) for key in sorted(value, key=int)]
    return {key: _finish(item) for key, item in value.items()}


def parse_php_pairs(pairs) -> dict:
    """Fold (name, value) form pairs into nested dicts and lists the way PHP fills `$_POST`."""
    root = _Array()
    for name, value in pairs:
        base, keys = _split_name(str(name))
        if not base:
            continue  # PHP drops a field without a name.
        if keys is None:
            root[base] = value  # A plain name: the last one wins, replacing any array.
            continue
        container, key = root, base
        for next_key in keys:
            child = None if key is None else container.get(key)
            if not isinstance(child, _Array):
                child = _Array()  # `[]` appends a new array; a scalar in the way is replaced, as in PHP.
                key = container.set(key, child)
            container, key = child, next_key
        container.set(key, value)
    return _finish(root, top=True)
