"""Every user-facing text, in German and English side by side (a plain catalogue).

Placeholders use str.format; values that come from users must be escaped by the caller.
A test checks that both languages have the same keys and placeholders.
"""

from __future__ import annotations

LANGUAGES = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "de": "👋 Willkommen beim <b>{cluster}</b>-Berater!\n\nIch beantworte Fragen zu Clustern "
              "und Netzwerken – auf Deutsch oder Englisch. Schreiben Sie einfach Ihre Frage, "
              "z. B. <i>Was ist ein Cluster?</i>\n\n/topics zeigt alle Themen, /help alle Befehle.",
        "en": "👋 Welcome to the <b>{cluster}</b> advisor!\n\nI answer questions about clusters "
              "and networks – in English or German. Just type your question, e.g. "
              "<i>What is a cluster?</i>\n\n/topics shows all topics, /help all commands.",
    },
    "help_title": {"de": "<b>Befehle</b>", "en": "<b>Commands</b>"},
    "help_section_visitor": {"de": "Für alle:", "en": "For everyone:"},
    "help_section_member": {"de": "Für Mitglieder:", "en": "For members:"},
    "help_section_manager": {"de": "Für Cluster-Manager:", "en": "For cluster managers:"},
    "help_free_text": {
        "de": "Im privaten Chat ist jede Nachricht ohne / eine Frage. In Gruppen antworte ich auf "
              "Befehle, Erwähnungen und Antworten auf meine Nachrichten.",
        "en": "In a private chat every message without / is a question. In groups I answer "
              "commands, mentions and replies to my messages.",
    },
    "language_choose": {
        "de": "Welche Sprache möchten Sie? Aktuell: Deutsch.",
        "en": "Which language would you like? Currently: English.",
    },
    "language_set": {
        "de": "Alles klar, ich antworte Ihnen ab jetzt auf Deutsch.",
        "en": "Done, I will answer you in English from now on.",
    },
    "language_usage": {
        "de": "So geht's: /language de oder /language en",
        "en": "Usage: /language de or /language en",
    },
    "ask_usage": {
        "de": "Bitte stellen Sie eine Frage, z. B. <code>/ask Was ist ein Cluster?</code>",
        "en": "Please ask a question, e.g. <code>/ask What is a cluster?</code>",
    },
    "empty_message": {
        "de": "Ihre Nachricht ist leer. Schreiben Sie eine Frage oder /help.",
        "en": "Your message is empty. Type a question or /help.",
    },
    "too_long": {
        "de": "Das ist zu lang für mich ({length} Zeichen). Bitte fassen Sie Ihre Frage in "
              "höchstens {limit} Zeichen.",
        "en": "That is too long for me ({length} characters). Please ask in at most {limit} "
              "characters.",
    },
    "no_words": {
        "de": "Stellen Sie mir gern eine Frage zu Clustern und Netzwerken in Worten. "
              "Versuchen Sie z. B. <i>Was ist ein Cluster?</i>",
        "en": "Feel free to ask me a question about clusters and networks in words. "
              "Try e.g. <i>What is a cluster?</i>",
    },
    "not_sure": {
        "de": "Da bin ich mir nicht sicher: „{question}“. Ich habe die Frage für das "
              "Cluster-Management notiert.",
        "en": "I'm not sure about that: “{question}”. I've noted the question for the "
              "cluster management.",
    },
    "not_sure_suggestions": {
        "de": "Meinten Sie eines dieser Themen?",
        "en": "Did you mean one of these topics?",
    },
    "not_sure_browse": {
        "de": "Mit /topics können Sie alle Themen durchsehen.",
        "en": "Use /topics to browse all topics.",
    },
    "related": {"de": "Siehe auch:", "en": "See also:"},
    "source": {"de": "Quelle: Vortrag, {source}", "en": "Source: talk, {source}"},
    "topics_title": {
        "de": "<b>Themen</b> – wählen Sie ein Kapitel:",
        "en": "<b>Topics</b> – choose a chapter:",
    },
    "chapter_title": {"de": "<b>{title}</b> – wählen Sie ein Thema:",
                      "en": "<b>{title}</b> – choose a topic:"},
    "back_to_chapters": {"de": "« Alle Kapitel", "en": "« All chapters"},
    "topic_gone": {
        "de": "Dieses Thema gibt es nicht mehr. /topics zeigt die aktuellen Themen.",
        "en": "This topic no longer exists. /topics shows the current topics.",
    },
    "stale_button": {
        "de": "Diese Schaltfläche ist nicht mehr gültig. /help zeigt, was möglich ist.",
        "en": "This button is no longer valid. /help shows what you can do.",
    },
    "unknown_command": {
        "de": "Den Befehl /{command} kenne ich nicht. /help zeigt alle Befehle.",
        "en": "I don't know the command /{command}. /help lists all commands.",
    },
    "not_allowed_manager": {
        "de": "/{command} ist nur für Cluster-Manager.",
        "en": "/{command} is for cluster managers only.",
    },
    "not_allowed_member": {
        "de": "/{command} ist nur für Mitglieder des Clusters.",
        "en": "/{command} is for members of the cluster only.",
    },
    "unanswered_title": {
        "de": "<b>Offene Fragen</b> (neueste zuerst, {total} insgesamt):",
        "en": "<b>Unanswered questions</b> (newest first, {total} in all):",
    },
    "unanswered_row": {
        "de": "• {date}: „{text}“ ({times}×)",
        "en": "• {date}: “{text}” ({times}×)",
    },
    "unanswered_none": {
        "de": "Keine offenen Fragen – der Berater konnte bisher alles beantworten.",
        "en": "No unanswered questions – the advisor could answer everything so far.",
    },
    "only_text": {
        "de": "Ich verstehe nur Textnachrichten. Schreiben Sie Ihre Frage oder /help.",
        "en": "I understand text messages only. Type your question or /help.",
    },
    "error": {
        "de": "⚠️ Da ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal; "
              "der Fehler wurde protokolliert.",
        "en": "⚠️ Something went wrong. Please try again; the error has been logged.",
    },
    "console_intro": {
        "de": "Konsolen-Chat mit dem {cluster}-Berater ({role}). Für Telegram: "
              "TELEGRAM_BOT_TOKEN in .env setzen (siehe .env.example). /help zeigt die Befehle, "
              "Strg-D beendet.",
        "en": "Console chat with the {cluster} advisor ({role}). To connect Telegram, set "
              "TELEGRAM_BOT_TOKEN in .env (see .env.example). /help lists commands, "
              "Ctrl-D ends.",
    },
    "console_choice_hint": {
        "de": "(Zahl eingeben, um zu wählen)",
        "en": "(type a number to choose)",
    },
    "console_no_such_choice": {
        "de": "Keine Auswahl mit der Nummer {number}.",
        "en": "There is no choice number {number}.",
    },
    "role_visitor": {"de": "Gast", "en": "visitor"},
    "role_member": {"de": "Mitglied", "en": "member"},
    "role_manager": {"de": "Manager", "en": "manager"},
}


def t(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang` (German when the language is unknown), filled with values."""
    texts = TEXTS[key]
    template = texts.get(lang) or texts["de"]
    return template.format(**values) if values else template
