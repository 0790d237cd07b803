"""The pages of events: public, the organiser's, the participant's."""
