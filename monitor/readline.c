/*
 * The monitor's line editor (see readline.h).
 */
#include "qemu/osdep.h"
#include "monitor/readline.h"

/* Terminal width assumed when listing completions in columns. */
#define RL_TERM_WIDTH 80

void readline_init(ReadLineState *rs, const char *prompt,
                   ReadLineWriteFunc *write, ReadLineLineFunc *line_done,
                   ReadLineCompletionFunc *complete, void *opaque)
{
    memset(rs, 0, sizeof(*rs));
    rs->prompt = prompt;
    rs->write = write;
    rs->line_done = line_done;
    rs->complete = complete;
    rs->opaque = opaque;
    rs->completions = g_ptr_array_new_with_free_func(g_free);
}

void readline_destroy(ReadLineState *rs)
{
    for (int i = 0; i < rs->history_len; i++) {
        g_free(rs->history[i]);
    }
    rs->history_len = 0;
    g_free(rs->history_saved);
    rs->history_saved = NULL;
    if (rs->completions) {
        g_ptr_array_free(rs->completions, TRUE);
        rs->completions = NULL;
    }
}

static void rl_write(ReadLineState *rs, const char *text)
{
    if (*text) {
        rs->write(rs->opaque, text);
    }
}

static void rl_move(GString *out, int from, int to)
{
    if (to > from) {
        g_string_append_printf(out, "\033[%dC", to - from);
    } else if (to < from) {
        g_string_append_printf(out, "\033[%dD", from - to);
    }
}

/*
 * Brings the terminal in line with the buffer.  Only the tail after the
 * first difference is rewritten, so typing at the end of the line echoes
 * just the character typed.
 */
static void rl_refresh(ReadLineState *rs)
{
    GString *out = g_string_new(NULL);
    int same = 0;

    while (same < rs->len && same < rs->shown_len &&
           rs->line[same] == rs->shown[same]) {
        same++;
    }
    if (same == rs->len && same == rs->shown_len) {
        rl_move(out, rs->shown_pos, rs->pos);
    } else {
        rl_move(out, rs->shown_pos, same);
        g_string_append_len(out, rs->line + same, rs->len - same);
        if (rs->len < rs->shown_len) {
            g_string_append(out, "\033[K");
        }
        rl_move(out, rs->len, rs->pos);
    }
    memcpy(rs->shown, rs->line, rs->len);
    rs->shown_len = rs->len;
    rs->shown_pos = rs->pos;
    rl_write(rs, out->str);
    g_string_free(out, TRUE);
}

void readline_show_prompt(ReadLineState *rs)
{
    rl_write(rs, rs->prompt);
    rs->shown_len = 0;
    rs->shown_pos = 0;
    rl_refresh(rs);
}

void readline_restart(ReadLineState *rs)
{
    rs->len = 0;
    rs->pos = 0;
    rs->truncated = false;
    rs->shown_len = 0;
    rs->shown_pos = 0;
    rs->esc = RL_ESC_NONE;
    rs->last_was_cr = false;
    rs->history_pos = rs->history_len;
    g_free(rs->history_saved);
    rs->history_saved = NULL;
}

/* Replaces the whole line with str (history recall), cursor at the end. */
static void rl_set_line(ReadLineState *rs, const char *str)
{
    int n = MIN(strlen(str), READLINE_MAX_LINE);

    memcpy(rs->line, str, n);
    rs->len = n;
    rs->pos = n;
}

static void rl_insert(ReadLineState *rs, char ch)
{
    if (rs->len >= READLINE_MAX_LINE) {
        /* Dropped; the line is refused at Enter (see ReadLineLineFunc). */
        rs->truncated = true;
        return;
    }
    memmove(rs->line + rs->pos + 1, rs->line + rs->pos, rs->len - rs->pos);
    rs->line[rs->pos++] = ch;
    rs->len++;
}

/* Deletes n bytes starting at from. */
static void rl_delete(ReadLineState *rs, int from, int n)
{
    memmove(rs->line + from, rs->line + from + n, rs->len - from - n);
    rs->len -= n;
    if (rs->pos > from + n) {
        rs->pos -= n;
    } else if (rs->pos > from) {
        rs->pos = from;
    }
}

static void rl_backspace(ReadLineState *rs)
{
    if (rs->pos > 0) {
        rl_delete(rs, rs->pos - 1, 1);
    }
}

static void rl_delete_char(ReadLineState *rs)
{
    if (rs->pos < rs->len) {
        rl_delete(rs, rs->pos, 1);
    }
}

/* Ctrl-W: the spaces before the cursor and the word before them. */
static void rl_kill_word(ReadLineState *rs)
{
    int start = rs->pos;

    while (start > 0 && g_ascii_isspace(rs->line[start - 1])) {
        start--;
    }
    while (start > 0 && !g_ascii_isspace(rs->line[start - 1])) {
        start--;
    }
    rl_delete(rs, start, rs->pos - start);
}

static void rl_history_up(ReadLineState *rs)
{
    if (rs->history_pos == 0) {
        return;
    }
    if (rs->history_pos == rs->history_len) {
        /* Keep what was being typed so Down can bring it back. */
        g_free(rs->history_saved);
        rs->history_saved = g_strndup(rs->line, rs->len);
    }
    rs->history_pos--;
    rl_set_line(rs, rs->history[rs->history_pos]);
}

static void rl_history_down(ReadLineState *rs)
{
    if (rs->history_pos >= rs->history_len) {
        return;
    }
    rs->history_pos++;
    if (rs->history_pos == rs->history_len) {
        rl_set_line(rs, rs->history_saved ? rs->history_saved : "");
        g_free(rs->history_saved);
        rs->history_saved = NULL;
    } else {
        rl_set_line(rs, rs->history[rs->history_pos]);
    }
}

void readline_history_add(ReadLineState *rs, const char *line)
{
    char *entry = NULL;

    if (!*line) {
        return;
    }
    for (int i = 0; i < rs->history_len; i++) {
        if (strcmp(rs->history[i], line) == 0) {
            /* A repeated line moves to the end instead of being added. */
            entry = rs->history[i];
            memmove(&rs->history[i], &rs->history[i + 1],
                    (rs->history_len - i - 1) * sizeof(char *));
            rs->history_len--;
            break;
        }
    }
    if (!entry) {
        if (rs->history_len == READLINE_HISTORY) {
            /* Full: the oldest entry goes. */
            g_free(rs->history[0]);
            memmove(&rs->history[0], &rs->history[1],
                    (rs->history_len - 1) * sizeof(char *));
            rs->history_len--;
        }
        entry = g_strdup(line);
    }
    rs->history[rs->history_len++] = entry;
    rs->history_pos = rs->history_len;
}

const char *readline_history_get(ReadLineState *rs, int i)
{
    if (i < 0 || i >= rs->history_len) {
        return NULL;
    }
    return rs->history[i];
}

void readline_add_completion(ReadLineState *rs, const char *str)
{
    for (guint i = 0; i < rs->completions->len; i++) {
        if (strcmp(g_ptr_array_index(rs->completions, i), str) == 0) {
            return;
        }
    }
    g_ptr_array_add(rs->completions, g_strdup(str));
}

void readline_set_completion_start(ReadLineState *rs, int start)
{
    rs->completion_start = start;
}

static gint rl_strcmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the candidates in columns, then redraws prompt and line. */
static void rl_list_completions(ReadLineState *rs)
{
    GString *out = g_string_new("\n");
    int width = 0;
    int cols;
    int col = 0;

    g_ptr_array_sort(rs->completions, rl_strcmp);
    for (guint i = 0; i < rs->completions->len; i++) {
        width = MAX(width, (int)strlen(g_ptr_array_index(rs->completions, i)));
    }
    width = CLAMP(width + 2, 10, RL_TERM_WIDTH);
    cols = RL_TERM_WIDTH / width;
    for (guint i = 0; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);

        if (++col == cols || i + 1 == rs->completions->len) {
            g_string_append_printf(out, "%s\n", c);
            col = 0;
        } else {
            g_string_append_printf(out, "%-*s", width, c);
        }
    }
    rl_write(rs, out->str);
    g_string_free(out, TRUE);
    readline_show_prompt(rs);
}

static void rl_complete(ReadLineState *rs)
{
    char *text;
    int typed;
    int common;
    const char *first;

    if (!rs->complete) {
        return;
    }
    g_ptr_array_set_size(rs->completions, 0);
    rs->completion_start = rs->pos;
    text = g_strndup(rs->line, rs->pos);
    rs->complete(rs->opaque, text);
    g_free(text);
    if (rs->completions->len == 0) {
        return;
    }
    typed = rs->pos - CLAMP(rs->completion_start, 0, rs->pos);
    first = g_ptr_array_index(rs->completions, 0);
    common = strlen(first);
    for (guint i = 1; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);
        int j = 0;

        while (j < common && c[j] == first[j]) {
            j++;
        }
        common = j;
    }
    for (int i = typed; i < common; i++) {
        rl_insert(rs, first[i]);
    }
    if (rs->completions->len == 1) {
        /* A finished word: the next argument starts after a space. */
        rl_insert(rs, ' ');
        rl_refresh(rs);
        return;
    }
    rl_refresh(rs);
    rl_list_completions(rs);
}

static void rl_enter(ReadLineState *rs)
{
    char *line = g_strndup(rs->line, rs->len);
    bool truncated = rs->truncated;

    rl_write(rs, "\n");
    readline_restart(rs);
    if (!truncated) {
        readline_history_add(rs, line);
    }
    rs->history_pos = rs->history_len;
    rs->line_done(rs->opaque, line, truncated);
    g_free(line);
}

/* The final byte of ESC [ ... or ESC O ... */
static void rl_handle_escape(ReadLineState *rs, uint8_t ch)
{
    switch (ch) {
    case 'A':
        rl_history_up(rs);
        break;
    case 'B':
        rl_history_down(rs);
        break;
    case 'C':
        rs->pos = MIN(rs->pos + 1, rs->len);
        break;
    case 'D':
        rs->pos = MAX(rs->pos - 1, 0);
        break;
    case 'H':
        rs->pos = 0;
        break;
    case 'F':
        rs->pos = rs->len;
        break;
    case '~':
        /* VT220 keys: 1/7 Home, 4/8 End, 3 Delete. */
        switch (rs->esc_param) {
        case 1:
        case 7:
            rs->pos = 0;
            break;
        case 4:
        case 8:
            rs->pos = rs->len;
            break;
        case 3:
            rl_delete_char(rs);
            break;
        }
        break;
    }
}

void readline_handle_byte(ReadLineState *rs, uint8_t ch)
{
    bool was_cr = rs->last_was_cr;

    rs->last_was_cr = false;
    switch (rs->esc) {
    case RL_ESC:
        if (ch == '[') {
            rs->esc = RL_ESC_CSI;
            rs->esc_param = 0;
        } else if (ch == 'O') {
            rs->esc = RL_ESC_SS3;
            rs->esc_param = 0;
        } else {
            rs->esc = RL_ESC_NONE;
        }
        return;
    case RL_ESC_CSI:
    case RL_ESC_SS3:
        if (ch >= '0' && ch <= '9') {
            rs->esc_param = MIN(rs->esc_param * 10 + ch - '0', 1000);
            return;
        }
        if (ch < 0x40 || ch > 0x7e) {
            /* Parameter separators and intermediates: keep going. */
            if (ch >= 0x20) {
                return;
            }
            /* A control byte ends a broken sequence; handle it normally. */
            rs->esc = RL_ESC_NONE;
            break;
        }
        rs->esc = RL_ESC_NONE;
        rl_handle_escape(rs, ch);
        rl_refresh(rs);
        return;
    case RL_ESC_NONE:
        break;
    }

    switch (ch) {
    case 1: /* Ctrl-A */
        rs->pos = 0;
        break;
    case 2: /* Ctrl-B */
        rs->pos = MAX(rs->pos - 1, 0);
        break;
    case 4: /* Ctrl-D */
        rl_delete_char(rs);
        break;
    case 5: /* Ctrl-E */
        rs->pos = rs->len;
        break;
    case 6: /* Ctrl-F */
        rs->pos = MIN(rs->pos + 1, rs->len);
        break;
    case 8:
    case 127:
        rl_backspace(rs);
        break;
    case 9:
        rl_complete(rs);
        return;
    case 10:
    case 13:
        if (ch == 10 && was_cr) {
            return;
        }
        rl_enter(rs);
        /* After rl_enter, whose restart clears it. */
        rs->last_was_cr = ch == 13;
        return;
    case 11: /* Ctrl-K */
        rs->len = rs->pos;
        break;
    case 14: /* Ctrl-N */
        rl_history_down(rs);
        break;
    case 16: /* Ctrl-P */
        rl_history_up(rs);
        break;
    case 21: /* Ctrl-U */
        rl_delete(rs, 0, rs->pos);
        break;
    case 23: /* Ctrl-W */
        rl_kill_word(rs);
        break;
    case 27:
        rs->esc = RL_ESC;
        return;
    default:
        /*
         * Printable ASCII only: the cursor arithmetic counts bytes, and
         * command names and arguments are ASCII.
         */
        if (ch < 32 || ch > 126) {
            return;
        }
        rl_insert(rs, ch);
        break;
    }
    rl_refresh(rs);
}
