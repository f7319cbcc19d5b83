/* Expand troth's iCalendar export with libical (the library behind
 * Evolution/GNOME Calendar and KOrganizer's ancestors): one line per
 * occurrence, "<agreement uuid>\t<event|todo>\t<wall clock>\t<UTC instant>",
 * the format .ci/ics-check.py compares. Times are resolved through the
 * file's own VTIMEZONEs. Build: cc ics-libical.c $(pkg-config --cflags --libs libical) */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print(const char *uid, const char *kind, struct icaltimetype t) {
    char uuid[37];
    snprintf(uuid, sizeof uuid, "%s", uid);
    if (t.is_date) {
        printf("%s\t%s\t%04d-%02d-%02d\t-\n", uuid, kind, t.year, t.month, t.day);
        return;
    }
    time_t secs = icaltime_as_timet_with_zone(t, t.zone ? t.zone : icaltimezone_get_utc_timezone());
    struct tm u;
    gmtime_r(&secs, &u);
    char local[32];
    if (t.zone && t.zone != icaltimezone_get_utc_timezone()) {
        snprintf(local, sizeof local, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute,
                 t.second);
    } else {
        /* A UTC time: the wall clock is the agreement's zone, which the
         * checker supplies; print the instant only. */
        snprintf(local, sizeof local, "UTC");
    }
    printf("%s\t%s\t%s\t%04d-%02d-%02dT%02d:%02d:%02dZ\n", uuid, kind, local, u.tm_year + 1900, u.tm_mon + 1,
           u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.ics\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc(n + 1);
    if (fread(text, 1, n, f) != (size_t)n) {
        perror("read");
        return 2;
    }
    text[n] = 0;
    fclose(f);
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fprintf(stderr, "libical: not a calendar\n");
        return 1;
    }
    int errors = icalcomponent_count_errors(cal);
    if (errors) {
        fprintf(stderr, "libical: %d errors in the file\n", errors);
        return 1;
    }
    int prodids = icalcomponent_count_properties(cal, ICAL_PRODID_PROPERTY);
    if (prodids != 1) {
        fprintf(stderr, "libical: %d PRODID properties\n", prodids);
        return 1;
    }
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        const char *uid = icalcomponent_get_uid(c);
        struct icaltimetype start = icalcomponent_get_dtstart(c);
        icalproperty *rp = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
        if (!rp) {
            print(uid, "event", start);
            continue;
        }
        struct icalrecurrencetype rule = icalproperty_get_rrule(rp);
        icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
        if (!it) {
            fprintf(stderr, "libical: cannot expand %s\n", uid);
            return 1;
        }
        int count = 0;
        for (struct icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
             t = icalrecur_iterator_next(it)) {
            t.zone = start.zone;
            print(uid, "event", t);
            if (++count > 100000) {
                fprintf(stderr, "libical: %s does not end\n", uid);
                return 1;
            }
        }
        icalrecur_iterator_free(it);
    }
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VTODO_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VTODO_COMPONENT)) {
        print(icalcomponent_get_uid(c), "todo", icalcomponent_get_due(c));
    }
    icalcomponent_free(cal);
    free(text);
    return 0;
}
