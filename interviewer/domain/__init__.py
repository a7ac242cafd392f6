"""The bottom layer's values: grades, their wording rules and review items. Every other layer may use them; they
import nothing of ours but the bank's schema."""
