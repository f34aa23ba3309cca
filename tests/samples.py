"""Small texts the tests build on."""

ARTICLE = (
    "Heading Without Punctuation\n\n"
    "The U.S. envoy met officials in Washington on Monday. "
    "Officials said exports rose 12 percent in 2023. "
    "Critics disputed the figure."
)

OTHER_ARTICLE = "Second report. Imports fell 3 percent in 2023, the ministry said. Nobody objected."
