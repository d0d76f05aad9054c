"""Quizzes of e-learning lessons: questions per language, attempts scored on the server, the lesson done on a pass.
Registered from `bibnet.elearning.init_app`."""
