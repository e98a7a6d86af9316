"""Everything that speaks a file format or a third-party library, behind the interfaces the
domain defines: the domain imports none of these modules."""
