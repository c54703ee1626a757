"""Compile the translation catalogs (``.po`` -> ``.mo``) into every distribution built.

Everything else about the distribution is in ``setup.cfg``. The ``.mo`` files are build
products and never committed, so ``python -m build`` (or ``pip install``) compiles them with
Babel's ``compile_catalog`` before the package's files are copied into the wheel.
"""
from babel.messages.setuptools_frontend import compile_catalog
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self):
        self.run_command("compile_catalog")
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs, "compile_catalog": compile_catalog})
