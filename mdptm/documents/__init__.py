"""What each audience reads, built from the model: the PTM, the submission set, the hospital guides, change logs."""
