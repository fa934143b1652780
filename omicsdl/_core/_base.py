"""The one contract every fitted omicsdl object follows (cf. scikit-learn's ``BaseEstimator``).

* ``__init__`` only stores hyperparameters (including ``rng`` and, for torch
  models, ``device``); validation happens in ``fit``.
* ``fit`` learns state into attributes ending in ``_`` and returns ``self``.
* :meth:`BaseEstimator.check_fitted` raises one :class:`~omicsdl.NotFittedError`.
* :meth:`BaseEstimator.get_params` is read from the ``__init__`` signature.
* :meth:`BaseEstimator.save` / :meth:`BaseEstimator.load` write and read one
  model folder: ``model.json`` (format header, hyperparameters, JSON state and
  the sha256 of every other file) plus ``model.safetensors`` (arrays) and one
  sub-folder per child model. Nothing is ever pickled.

A subclass sets :attr:`BaseEstimator._fitted_attr` and implements
:meth:`BaseEstimator._get_state` / :meth:`BaseEstimator._set_state` (and
:meth:`BaseEstimator._children` for composite models).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import numpy as np

from omicsdl._core._errors import InputError, ModelFormatError, NotFittedError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["MODEL_FILE", "WEIGHTS_FILE", "BaseEstimator", "file_sha256", "hyperparameters", "jsonable"]

logger = logging.getLogger(__name__)

MODEL_FILE = "model.json"
WEIGHTS_FILE = "model.safetensors"

_E = TypeVar("_E", bound="BaseEstimator")


def hyperparameters(cls: type[_E]) -> type[_E]:
    """Class decorator: the annotated class attributes are the estimator's hyperparameters.

    Each ``name: type = default`` line becomes a keyword-only argument of the
    generated ``__init__``, which stores it under the same name and does
    nothing else (the contract above); :meth:`BaseEstimator.get_params`,
    ``repr`` and identity equality are unchanged. A subclass declares only the
    hyperparameters it adds or gives a new default. The generated ``__init__``
    replaces one hand-written ``self.x = x`` block per estimator.

    Parameters
    ----------
    cls
        A :class:`BaseEstimator` subclass whose hyperparameters are annotated
        class attributes with defaults (``ClassVar`` ones are not
        hyperparameters).

    Returns
    -------
    ``cls`` with its ``__init__``.
    """
    return dataclasses.dataclass(kw_only=True, repr=False, eq=False)(cls)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def jsonable(obj: Any) -> Any:
    """``obj`` with tuples as lists, NumPy scalars as Python scalars and non-finite floats as ``None``."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    if isinstance(obj, np.random.Generator):
        return None
    return obj


class BaseEstimator:
    """Base class of every fitted omicsdl object.

    Subclasses store their hyperparameters in ``__init__`` under the names of
    its keyword arguments, set :attr:`_fitted_attr` to an attribute that
    ``fit`` creates, and implement :meth:`_get_state` and :meth:`_set_state`
    to make :meth:`save` and :meth:`load` work.
    """

    #: attribute whose presence means "fitted"
    _fitted_attr: ClassVar[str] = ""
    #: newest ``format_version`` of this class's model folder
    _format_version: ClassVar[int] = 1
    #: the model in plain words, for error messages ("omicsdl autoencoder")
    _display_name: ClassVar[str] = ""

    # -- hyperparameters ---------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        """The keyword arguments of ``__init__``, in signature order."""
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """Hyperparameters as passed to ``__init__`` (every keyword argument, ``rng`` included)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set hyperparameters by name; unknown names raise :class:`ValueError`."""
        names = set(self._param_names())
        for key, value in params.items():
            if key not in names:
                msg = f"{type(self).__name__} has no parameter {key!r}; it has {sorted(names)}"
                raise ValueError(msg)
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        shown = []
        for name in self._param_names():
            value = getattr(self, name, None)
            default = sig.parameters[name].default
            try:
                same = bool(value == default)
            except (TypeError, ValueError):
                same = False
            if not same:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- fitted state ------------------------------------------------------------
    @property
    def is_fitted(self) -> bool:
        """Whether ``fit`` (or ``load``) has run."""
        return bool(self._fitted_attr) and hasattr(self, self._fitted_attr)

    def check_fitted(self) -> None:
        """Raise :class:`~omicsdl.NotFittedError` unless the object is fitted."""
        if not self.is_fitted:
            msg = f"this {type(self).__name__} is not fitted yet; call fit() first (or load a saved one)"
            raise NotFittedError(msg)

    # -- persistence -------------------------------------------------------------
    @classmethod
    def _format_name(cls) -> str:
        return f"omicsdl.{cls.__name__}"

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Fitted state as ``(arrays, json_state)``; arrays go to safetensors, the rest to JSON."""
        raise NotImplementedError

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        """Restore what :meth:`_get_state` returned (check shapes and values; raise ModelFormatError)."""
        raise NotImplementedError

    def _children(self) -> dict[str, BaseEstimator]:
        """Fitted child models saved in sub-folders of the same name (composite models)."""
        return {}

    def _set_children(self, children: Mapping[str, BaseEstimator]) -> None:
        """Attach children read back by :meth:`load`."""
        if children:
            msg = f"{type(self).__name__} has no child models"
            raise NotImplementedError(msg)

    def _params_for_json(self) -> dict[str, Any]:
        params = self.get_params()
        rng = params.get("rng")
        if rng is not None and not isinstance(rng, int | np.integer):
            params["rng"] = None  # a Generator has no faithful JSON form; the fitted state does not need it
        return jsonable(params)

    def save(self, path: str | os.PathLike[str], *, force: bool | None = None) -> Path:
        """Write the fitted model as a folder (safetensors + JSON, checksummed, atomically).

        Parameters
        ----------
        path
            The model folder. An existing folder is replaced only when it is
            empty or a saved omicsdl model of the same kind; anything else is
            refused, so a user's files are never lost. Files in the old folder
            that are not part of a model (notes beside it) are kept.
        force
            Also replace a folder that is not a model of this kind (its model
            files; every other entry is kept). ``None``: as
            :func:`omicsdl._core._outputs.forcing` says (the CLI's ``--force``).

        Returns
        -------
        ``path``.

        Raises
        ------
        NotFittedError
            The model is not fitted.
        InputError
            ``path`` is a file, lies under a file, or is a folder that is not a
            model folder of this kind (and ``force`` is off).
        """
        from omicsdl._core._atomic import atomic_dir

        self.check_fitted()
        target = Path(path)
        known = self._check_replaceable(target, force=force)
        new = {MODEL_FILE, WEIGHTS_FILE, *self._children()}
        with atomic_dir(target, keep=lambda name: name not in known | new) as tmp:
            self._write_folder(tmp)
        logger.info("saved %s to %s", type(self).__name__, target)
        return target

    @classmethod
    def _check_replaceable(cls, target: Path, *, force: bool | None = None) -> set[str]:
        """Raise unless ``target`` may become this model's folder; return the old model's entry names."""
        from omicsdl._core._outputs import check_output_parent, force_requested, refuse_overwrite

        force = force_requested() if force is None else force
        if not target.exists() and not target.is_symlink():
            check_output_parent(target)
            return set()
        if not target.is_dir() or target.is_symlink():
            msg = "exists and is not a folder; a model is a folder"
            raise InputError(msg, source=target, fix="choose a new folder name")
        meta_path = target / MODEL_FILE
        meta: object = {}
        if meta_path.is_file() and not meta_path.is_symlink():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
        if isinstance(meta, dict) and meta.get("format") == cls._format_name():
            children = meta.get("children")
            return {MODEL_FILE, WEIGHTS_FILE, *(children if isinstance(children, dict) else {})}
        if force or not any(target.iterdir()):
            return set()
        raise refuse_overwrite(target, f"a saved {cls.__name__} model")

    def _write_folder(self, directory: Path) -> None:
        from safetensors.numpy import save_file

        from omicsdl._version import __version__

        arrays, state = self._get_state()
        files: dict[str, str] = {}
        if arrays:
            weights = directory / WEIGHTS_FILE
            # reshape keeps 0-d arrays 0-d (ascontiguousarray alone turns them into shape (1,))
            save_file(
                {k: np.ascontiguousarray(v).reshape(np.shape(v)) for k, v in arrays.items()}, str(weights)
            )
            files[WEIGHTS_FILE] = file_sha256(weights)
        children = {}
        for name, child in self._children().items():
            sub = directory / name
            sub.mkdir()
            child._write_folder(sub)
            files[f"{name}/{MODEL_FILE}"] = file_sha256(sub / MODEL_FILE)
            children[name] = type(child).__name__
        meta = {
            "format": self._format_name(),
            "format_version": self._format_version,
            "omicsdl_version": __version__,
            "params": self._params_for_json(),
            "state": jsonable(state),
            "children": children,
            "files": files,
        }
        meta["sha256"] = _meta_digest(meta)
        (directory / MODEL_FILE).write_text(json.dumps(meta, indent=1, allow_nan=False) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Read a model folder written by :meth:`save`, checking its format and checksums.

        Raises
        ------
        ModelFormatError
            Not a model folder of this class, a newer format, a file whose
            sha256 does not match ``model.json``, or inconsistent contents.
        """
        folder = Path(path)
        meta = cls._read_meta(folder)
        arrays: dict[str, np.ndarray] = {}
        if WEIGHTS_FILE in meta["files"]:
            from safetensors import SafetensorError
            from safetensors.numpy import load_file

            try:
                arrays = load_file(str(folder / WEIGHTS_FILE))
            except (SafetensorError, OSError, ValueError) as err:
                msg = f"{WEIGHTS_FILE} cannot be read ({err})"
                raise ModelFormatError(msg, source=folder) from err
        params = meta.get("params")
        if not isinstance(params, dict):
            msg = "model.json has no 'params' object"
            raise ModelFormatError(msg, source=folder / MODEL_FILE)
        unknown = set(params) - set(cls._param_names())
        if unknown:
            msg = f"model.json has parameters {sorted(unknown)} that {cls.__name__} does not take"
            raise ModelFormatError(msg, source=folder / MODEL_FILE)
        try:
            model = cls(**params)
        except (TypeError, ValueError) as err:
            msg = f"model.json parameters are invalid ({err})"
            raise ModelFormatError(msg, source=folder / MODEL_FILE) from err
        children = {}
        for name, kind in meta.get("children", {}).items():
            child_cls = model._child_class(name, kind, source=folder)
            children[name] = child_cls.load(folder / name)
        model._set_children(children)
        try:
            model._set_state(arrays, meta.get("state") or {}, source=folder)
        except (KeyError, IndexError, TypeError, ValueError) as err:
            if isinstance(err, InputError):
                raise
            msg = f"model.json or {WEIGHTS_FILE} is inconsistent ({type(err).__name__}: {err})"
            raise ModelFormatError(msg, source=folder) from err
        return model

    def _child_class(self, name: str, kind: str, *, source: Path) -> type[BaseEstimator]:
        msg = f"unexpected child model {name!r} ({kind})"
        raise ModelFormatError(msg, source=source)

    @classmethod
    def _read_meta(cls, folder: Path) -> dict[str, Any]:
        meta_path = folder / MODEL_FILE
        if meta_path.is_symlink():
            msg = f"{MODEL_FILE} is a symbolic link; a saved model's files are inside its folder"
            raise ModelFormatError(msg, source=meta_path, fix="save the model again")
        if not meta_path.is_file():
            msg = f"no {MODEL_FILE}: not a saved {cls._display_name or 'omicsdl ' + cls.__name__}"
            raise ModelFormatError(
                msg, source=folder, fix="pass the folder written by save() / the CLI's --model"
            )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as err:
            msg = f"{MODEL_FILE} is not valid JSON ({err})"
            raise ModelFormatError(msg, source=meta_path, fix="save the model again") from err
        except OSError as err:
            msg = f"{MODEL_FILE} cannot be read ({err.strerror or err})"
            raise ModelFormatError(msg, source=meta_path) from err
        if not isinstance(meta, dict):
            msg = f"{MODEL_FILE} is not a JSON object"
            raise ModelFormatError(msg, source=meta_path)
        if meta.get("format") != cls._format_name():
            msg = f"expected a {cls._format_name()} model, found {meta.get('format')!r}"
            raise ModelFormatError(msg, source=meta_path)
        found = meta.get("format_version")
        if not isinstance(found, int) or found < 1 or found > cls._format_version:
            msg = f"unknown model format_version {found!r} (this omicsdl reads up to {cls._format_version})"
            raise ModelFormatError(
                msg,
                source=meta_path,
                fix=f"upgrade omicsdl (the model was written by omicsdl {meta.get('omicsdl_version', '?')})",
            )
        if meta.get("sha256") != _meta_digest(meta):
            msg = f"{MODEL_FILE} was changed after it was saved (its sha256 does not match its contents)"
            raise ModelFormatError(msg, source=meta_path, fix="save the model again")
        files = meta.get("files")
        if not isinstance(files, dict):
            msg = f"{MODEL_FILE} lists no checksummed files"
            raise ModelFormatError(msg, source=meta_path)
        for name, digest in files.items():
            part = folder / name
            if not part.is_file() or part.is_symlink():
                msg = f"{name} is missing (model.json lists it)"
                raise ModelFormatError(msg, source=folder)
            if file_sha256(part) != digest:
                msg = f"{name} does not match the sha256 recorded in model.json: the model was changed or damaged"
                raise ModelFormatError(msg, source=part, fix="save the model again")
        return meta


def _refuse_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number (omicsdl never writes it)"
    raise ValueError(msg)


def _meta_digest(meta: Mapping[str, Any]) -> str:
    """sha256 of ``model.json``'s contents without its own ``sha256`` key (canonical JSON)."""
    body = {k: v for k, v in meta.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, allow_nan=False).encode()).hexdigest()
