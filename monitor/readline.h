/*
 * A small line editor for the human monitor.
 *
 * It is fed one byte at a time from a chardev and echoes through a write
 * callback, because the terminal at the other end is in raw mode (or is a
 * plain socket): nothing but us draws the line.  It keeps its own idea of
 * what the terminal shows after the prompt and redraws only the part that
 * changed, using the VT100 sequences every terminal understands (cursor
 * left/right, erase to end of line).
 *
 * Keys: printable ASCII inserts; Backspace (0x08, 0x7f); Delete (ESC [ 3 ~,
 * Ctrl-D); Enter (CR or LF, CR LF counts once); Ctrl-U kills to the start of
 * the line; Ctrl-K kills to its end; Ctrl-W kills the word before the
 * cursor; Left/Right (ESC [ D / C); Home/End (ESC [ H / F, ESC O H / F,
 * ESC [ 1 ~ / 4 ~, Ctrl-A / Ctrl-E); Up/Down (ESC [ A / B, Ctrl-P / Ctrl-N)
 * walk the history; Tab completes through the owner's completion callback.
 */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#include "qemu/osdep.h"

/* Longest line kept, without the terminating NUL. */
#define READLINE_MAX_LINE 4095
#define READLINE_HISTORY  64

typedef struct ReadLineState ReadLineState;

/* Writes text to the terminal ("\n" is the owner's to translate). */
typedef void ReadLineWriteFunc(void *opaque, const char *text);
/* A whole line was entered; truncated says it was longer than the buffer. */
typedef void ReadLineLineFunc(void *opaque, const char *line, bool truncated);
/*
 * Offers completions for the text before the cursor: the callback calls
 * readline_add_completion() for each candidate of the word being typed and
 * readline_set_completion_start() with where that word starts.
 */
typedef void ReadLineCompletionFunc(void *opaque, const char *text);

typedef enum ReadLineEsc {
    RL_ESC_NONE, /* plain input */
    RL_ESC,      /* after ESC */
    RL_ESC_CSI,  /* after ESC [ */
    RL_ESC_SS3,  /* after ESC O */
} ReadLineEsc;

struct ReadLineState {
    char line[READLINE_MAX_LINE + 1];
    int len;        /* bytes in line */
    int pos;        /* cursor, 0..len */
    bool truncated; /* input was dropped because line was full */

    /* What the terminal shows after the prompt, and where its cursor is. */
    char shown[READLINE_MAX_LINE + 1];
    int shown_len;
    int shown_pos;

    ReadLineEsc esc;
    int esc_param;
    bool last_was_cr;

    /* Oldest first; history_pos == history_len while not browsing. */
    char *history[READLINE_HISTORY];
    int history_len;
    int history_pos;
    char *history_saved; /* the line being edited when browsing started */

    GPtrArray *completions;
    int completion_start;

    const char *prompt;
    ReadLineWriteFunc *write;
    ReadLineLineFunc *line_done;
    ReadLineCompletionFunc *complete;
    void *opaque;
};

void readline_init(ReadLineState *rs, const char *prompt,
                   ReadLineWriteFunc *write, ReadLineLineFunc *line_done,
                   ReadLineCompletionFunc *complete, void *opaque);
void readline_destroy(ReadLineState *rs);

void readline_handle_byte(ReadLineState *rs, uint8_t ch);

/* Prints the prompt and the current line, as on a fresh terminal line. */
void readline_show_prompt(ReadLineState *rs);
/* Forgets the current line (not the history). */
void readline_restart(ReadLineState *rs);

void readline_add_completion(ReadLineState *rs, const char *str);
void readline_set_completion_start(ReadLineState *rs, int start);

/* Adds a line to the history (a repeated line moves to the end). */
void readline_history_add(ReadLineState *rs, const char *line);
/* Entry i, oldest first, or NULL. */
const char *readline_history_get(ReadLineState *rs, int i);

#endif
