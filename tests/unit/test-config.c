/*
 * Command line -> MachineConfig -> canonical text, and the errors a user
 * sees for bad command lines.
 */
#include "qemu/osdep.h"
#include "sysemu/config.h"
#include "hw/core/machine.h"
#include "hw/core/qdev.h"

static char *tmpdir;
static char *old_cwd;

/* Parses a command line given as one string (split on spaces). */
static MachineConfig *parse(const char *cmdline, int *ret, Error **errp)
{
    char *full = g_strconcat("qemu-system-x86_64 ", cmdline, NULL);
    char **argv = g_strsplit_set(full, " ", -1);
    GPtrArray *args = g_ptr_array_new();
    MachineConfig *cfg = machine_config_new();

    /* Drop empty words from repeated spaces. */
    for (char **p = argv; *p; p++) {
        if (**p) {
            g_ptr_array_add(args, *p);
        }
    }
    *ret = qemu_config_parse(cfg, args->len, (char **)args->pdata, errp);
    if (*ret == CONFIG_ACTION_RUN) {
        machine_config_apply_defaults(cfg);
    }
    g_ptr_array_free(args, TRUE);
    g_strfreev(argv);
    g_free(full);
    return cfg;
}

static char *canonical_of(const char *cmdline)
{
    int ret;
    MachineConfig *cfg = parse(cmdline, &ret, &error_abort);
    char *text;

    g_assert_cmpint(ret, ==, CONFIG_ACTION_RUN);
    text = machine_config_canonical(cfg);
    machine_config_free(cfg);
    return text;
}

static void expect_error(const char *cmdline, const char *msg)
{
    Error *err = NULL;
    int ret;
    MachineConfig *cfg = parse(cmdline, &ret, &err);

    g_assert_cmpint(ret, ==, -1);
    g_assert_nonnull(err);
    g_test_message("%s -> %s", cmdline, err->message);
    if (!strstr(err->message, msg)) {
        g_error("'%s': expected '%s' in '%s'", cmdline, msg, err->message);
    }
    /* One line: the user sees exactly one line per error. */
    g_assert_null(strchr(err->message, '\n'));
    error_free(err);
    machine_config_free(cfg);
}

#define SEED_COMMON                                                      \
    " -drive file=disk.qcow2,if=none,snapshot,id=img-direct"             \
    " -drive driver=blkreplay,if=none,image=img-direct,id=img-blkreplay" \
    " -device ide-hd,drive=img-blkreplay"                                \
    " -netdev user,id=net1 -device rtl8139,netdev=net1"                  \
    " -object filter-replay,id=replay,netdev=net1"

static const char seed_expected[] =
    "-machine pc\n"
    "-accel tcg\n"
    "-cpu qemu64\n"
    "-m 128M\n"
    "-smp 1\n"
    "-icount shift=auto,align=off,sleep=on\n"
    "-rtc base=utc,clock=host,driftfix=none\n"
    "-drive file=disk.qcow2,if=none,snapshot=on,id=img-direct\n"
    "-drive driver=blkreplay,if=none,image=img-direct,id=img-blkreplay\n"
    "-device ide-hd,drive=img-blkreplay\n"
    "-device rtl8139,netdev=net1\n"
    "-netdev user,id=net1\n"
    "-object filter-replay,netdev=net1,id=replay\n"
    "-serial on\n";

/* The record and replay command lines of seeds/replay-docs.txt. */
static void test_seed_record_replay(void)
{
    char *rec = canonical_of(
        "-icount shift=auto,rr=record,rrfile=replay.bin" SEED_COMMON);
    char *play = canonical_of(
        "-icount shift=auto,rr=replay,rrfile=replay.bin" SEED_COMMON);
    int ret;
    MachineConfig *cfg;

    g_test_message("canonical text of the seed record line:\n%s", rec);
    g_assert_cmpstr(rec, ==, seed_expected);
    /* Record and replay describe the same guest. */
    g_assert_cmpstr(rec, ==, play);

    cfg = parse("-icount shift=auto,rr=record,rrfile=replay.bin" SEED_COMMON,
                &ret, &error_abort);
    g_assert_true(cfg->icount.given);
    g_assert_true(cfg->icount.shift_auto);
    g_assert_cmpint(cfg->icount.rr, ==, REPLAY_MODE_RECORD);
    g_assert_cmpstr(cfg->icount.rrfile, ==, "replay.bin");
    g_assert_cmpuint(cfg->drives->len, ==, 2);
    g_assert_cmpuint(cfg->devices->len, ==, 2);
    g_assert_cmpuint(cfg->netdevs->len, ==, 1);
    g_assert_cmpuint(cfg->objects->len, ==, 1);
    machine_config_free(cfg);
    g_free(rec);
    g_free(play);
}

/* The other seed lines: rrsnapshot, the orphan qcow2, blkreplay overlay. */
static void test_seed_snapshot_lines(void)
{
    char *t;

    t = canonical_of("-icount shift=auto,rr=replay,rrfile=replay.bin,"
                     "rrsnapshot=init -net none "
                     "-drive file=empty.qcow2,if=none,id=rr");
    g_test_message("%s", t);
    g_assert_nonnull(strstr(t, "-drive file=empty.qcow2,if=none,id=rr\n"));
    g_assert_nonnull(strstr(t, "-net none\n"));
    g_free(t);

    t = canonical_of("-icount shift=7,rr=record,rrfile=replay.bin,"
                     "rrsnapshot=snapshot_name"
                     " -drive file=disk.qcow2,if=none,id=img-direct"
                     " -drive driver=blkreplay,if=none,image=img-direct,"
                     "overlay=overlay.qcow2,id=img-blkreplay"
                     " -device ide-hd,drive=img-blkreplay");
    g_test_message("%s", t);
    g_assert_nonnull(strstr(t, "-icount shift=7,align=off,sleep=on\n"));
    g_assert_nonnull(strstr(t, "overlay=overlay.qcow2"));
    g_free(t);
}

static void test_values(void)
{
    int ret;
    MachineConfig *cfg;
    char *t;

    cfg = parse("-m 512 -machine none -nographic -S -no-reboot -d unimp,int "
                "-icount 3,sleep=off -cpu qemu64",
                &ret, &error_abort);
    g_assert_cmpuint(cfg->ram_size, ==, 512 * MiB);
    g_assert_cmpstr(cfg->machine_type, ==, "none");
    g_assert_true(cfg->nographic);
    g_assert_true(cfg->start_paused);
    g_assert_true(cfg->no_reboot);
    g_assert_false(cfg->icount.shift_auto);
    g_assert_cmpuint(cfg->icount.shift, ==, 3);
    g_assert_false(cfg->icount.sleep);
    /* -nographic: serial and monitor share stdio. */
    g_assert_cmpuint(cfg->serials->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(cfg->serials, 0), ==, "mon:stdio");
    g_assert_cmpuint(cfg->monitors->len, ==, 0);
    machine_config_free(cfg);

    cfg =
        parse("-m size=1G -nographic -serial null -M none", &ret, &error_abort);
    g_assert_cmpuint(cfg->ram_size, ==, GiB);
    /* -serial given: the monitor alone goes to stdio. */
    g_assert_cmpstr(g_ptr_array_index(cfg->serials, 0), ==, "null");
    g_assert_cmpstr(g_ptr_array_index(cfg->monitors, 0), ==, "stdio");
    machine_config_free(cfg);

    cfg = parse("-nodefaults -machine type=none", &ret, &error_abort);
    g_assert_cmpuint(cfg->serials->len, ==, 0);
    machine_config_free(cfg);

    /* --opt is the same as -opt. */
    cfg = parse("--m 64M --machine none", &ret, &error_abort);
    g_assert_cmpuint(cfg->ram_size, ==, 64 * MiB);
    machine_config_free(cfg);

    /* Host-only choices do not change the canonical text. */
    t = canonical_of("-m 1536M -serial stdio -d int -D /tmp/x -S");
    {
        char *u = canonical_of("-m 1.5G -serial null");
        g_assert_cmpstr(t, ==, u);
        g_assert_nonnull(strstr(t, "-m 1536M\n"));
        g_free(u);
    }
    g_free(t);
}

static void test_info_options(void)
{
    /* The output must not mix with the TAP stream: run in a child. */
    if (g_test_subprocess()) {
        int ret;
        MachineConfig *cfg = parse("-version -foo", &ret, &error_abort);

        /* Informational options stop parsing before later errors. */
        g_assert_cmpint(ret, ==, CONFIG_ACTION_EXIT);
        machine_config_free(cfg);
        cfg = parse("-machine help", &ret, &error_abort);
        g_assert_cmpint(ret, ==, CONFIG_ACTION_EXIT);
        machine_config_free(cfg);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("QEMU emulator version *Supported machines "
                              "are:*none*");
}

static void test_errors(void)
{
    expect_error("-foo", "-foo: invalid option");
    expect_error("-m banana", "-m banana: invalid RAM size 'banana'");
    expect_error("-m", "-m: requires an argument");
    expect_error("-m 0", "too small");
    expect_error("-m 2T", "too large");
    expect_error("-m 128M,slots=2", "not supported yet");
    expect_error("-kernel /nonexistent",
                 "-kernel /nonexistent: could not open '/nonexistent': No "
                 "such file or directory");
    expect_error("-initrd /nonexistent/initrd", "could not open");
    expect_error("-hda /nonexistent.img", "could not open");
    expect_error("/nonexistent.img", "could not open");
    expect_error("-drive file=/nonexistent.qcow2,if=none", "could not open");
    expect_error("-icount shift=11", "shift must be a number from 0 to 10");
    expect_error("-icount shift=auto,rr=record", "rr=record needs rrfile=FILE");
    expect_error("-icount rr=bogus,rrfile=x", "invalid rr value 'bogus'");
    expect_error("-icount rrfile=x", "rrfile needs rr=record or rr=replay");
    expect_error("-icount rr=replay,rrfile=/nonexistent.rr",
                 "could not open '/nonexistent.rr'");
    expect_error("-icount auto,align=on", "shift=auto and align=on");
    expect_error("-icount shift=auto,bogus=1", "Invalid parameter 'bogus'");
    expect_error("-icount 3,sleep=maybe", "expects 'on' or 'off'");
    expect_error("-machine banana", "unsupported machine type 'banana'");
    expect_error("-machine none,foo=bar", "Invalid parameter 'foo'");
    expect_error("-cpu pentium9", "unable to find CPU model 'pentium9'");
    expect_error("-smp 2", "only 1 CPU is supported");
    expect_error("-device nonesuch", "'nonesuch' is not a valid device model");
    expect_error("-device drive=x", "Parameter 'driver' is missing");
    expect_error("-d nonesuch", "unknown log item 'nonesuch'");
    expect_error("-rtc base=yesterday", "invalid date format");
    expect_error("-rtc clock=sundial", "invalid clock");
    expect_error("-drive file=disk.qcow2,id=a -drive file=disk.qcow2,id=a",
                 "Duplicate ID 'a' for drive");
    expect_error("-chardev null,id=9x", "Parameter 'id'");
    expect_error("-L /nonexistent-dir", "is not a directory");
    expect_error("-serial null -serial null -serial null -serial null "
                 "-serial null",
                 "too many serial ports");
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    machine_register_builtin();
    device_register_builtin();

    /* The seed command lines name files that must exist. */
    tmpdir = g_dir_make_tmp("test-config-XXXXXX", NULL);
    old_cwd = g_get_current_dir();
    g_assert_cmpint(chdir(tmpdir), ==, 0);
    g_file_set_contents("disk.qcow2", "", 0, NULL);
    g_file_set_contents("empty.qcow2", "", 0, NULL);
    g_file_set_contents("replay.bin", "", 0, NULL);

    g_test_add_func("/config/seed-record-replay", test_seed_record_replay);
    g_test_add_func("/config/seed-snapshot-lines", test_seed_snapshot_lines);
    g_test_add_func("/config/values", test_values);
    g_test_add_func("/config/info-options", test_info_options);
    g_test_add_func("/config/errors", test_errors);
    ret = g_test_run();

    unlink("disk.qcow2");
    unlink("empty.qcow2");
    unlink("replay.bin");
    g_assert_cmpint(chdir(old_cwd), ==, 0);
    rmdir(tmpdir);
    return ret;
}
