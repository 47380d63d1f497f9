"""Where `matcher build` writes the vectorised index (see README.md in this folder). A package
only so that an installed wheel has a models/ location; there is no code here."""
