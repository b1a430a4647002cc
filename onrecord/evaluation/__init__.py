"""Reading annotated corpora and scoring predictions against them."""
