# Everything the assistant says, in US English.
#
# Every message receives $channel (web, sms or voice); a message selects on it only where
# the wording must differ: buttons and links do not exist on every channel, and on SMS a lone
# STOP or CANCEL is a carrier opt-out keyword, so SMS wording never asks for either.
# Dates, times and numbered lists arrive already formatted, as plain text arguments.
# The English text is what the scenarios check: change it only together with them.

## Conversation

greeting = Hi! I can show your projects, book, reschedule or cancel an installation appointment, tell you who your technician is, and add notes for the crew. What can I do for you?
hi = Hi!
thanks = You're welcome! Anything else I can help with?
goodbye = Goodbye, and thanks for choosing us!
help =
    Here's what I can do:
    - show your projects and their status
    - find a free date and time and book your appointment
    - reschedule or cancel an appointment
    - tell you who your technician is
    - share our working days and the weather forecast for your appointment
    - add a note for the crew, and show the notes added here
    Just tell me in your own words, for example "book my flooring for next Tuesday morning".
anything-else = What can I help you with?
unclear = Sorry, I didn't catch that. I can help you schedule, reschedule or cancel an appointment, check a project's status, or add a note.
unclear-again = I'm sorry, I'm still not following. I can connect you with a person, or you can { $channel ->
        [sms] reply with one of these:
        [voice] say one of these:
       *[web] try one of these:
    }
change-not-understood = I didn't catch that change, so I haven't done anything with { $what } yet. Tell me what you'd like to change, { $channel ->
        [sms] reply yes to go over it again, or reply "never mind".
       *[other] say yes to go over it again, or say stop.
    }
complaint-apology = I'm very sorry about that; it's not the experience we want you to have.
handoff = I'll pass this conversation to our customer care team; someone will contact you shortly. If it's urgent, call us during business hours and mention your order number.
stopped = No problem, I've stopped { $what }. Nothing was changed. Anything else?
injection = I can only help with your own projects and appointments.
queued = I'll take care of { $what } right after this.
next-request = Now, { $what }.
resume = Now, back to { $what }.
dropped = Okay, I've dropped { $what }.

## What a request or a flow is, for queued, next-request, stopped and resume

topic-booking = the booking
topic-reschedule = moving your appointment
topic-cancellation = the cancellation
topic-the-note = the note
topic-your-note = your note
topic-status = the status
topic-technician = your technician
topic-duration = how long it takes
topic-forecast = the forecast
topic-hours = our hours
topic-projects = your projects
topic-notes = your notes
topic-other-question = your other question
topic-there = there
topic-your-booking = your booking
topic-your-cancellation = your cancellation

## Buttons and links

button-yes = Yes
button-no = No
button-schedule-appointment = Schedule appointment
button-view-projects = View projects
button-check-availability = Check availability
button-talk-to-person = Talk to a person
button-go-over-again = Go over it again
button-stop = { $channel ->
        [sms] Never mind
       *[other] Stop
    }
button-schedule-it = Schedule it
button-pick-new-date = Pick a new date
link-view-project = View your { $project }

## Errors of the scheduling system

error-unreachable = I couldn't reach the scheduling system just now. Please try again in a minute.
error-busy = The scheduling system is busy right now. Please try again in a minute.
error-session-expired = Your session has expired. Please sign in again to continue.
error-slot-taken = Sorry, that time is no longer available: it was just taken by someone else.
error-request-refused = The scheduling system couldn't accept that request. Let's pick the date again.
error-system-problem = The scheduling system had a problem on its side. Please try again shortly.

## Projects

status-ready-to-schedule = Ready to Schedule
status-scheduled = Scheduled
status-in-progress = In Progress
status-completed = Completed
status-cancelled = Cancelled
status-on-hold = On Hold
address-on-file = the address on file
order-reference = order { $order }
project-reference = project { $id }
window-from-to = { $date } from { $start } to { $end }
window-at = { $date } at { $time }
list-and = { $init } and { $last }
duration-minute = { $value } minute
duration-minutes = { $value } minutes
duration-hour = { $value } hour
duration-hours = { $value } hours
duration-day = { $value } day
duration-days = { $value } days
no-projects = I don't see any projects on your account yet.
project-line = { $project } — { $status }
project-line-with-window = { $project } — { $status }, { $window }
project-list =
    Here are your projects:
    { $list }
which-project =
    Which project would you like to { $purpose }?
    { $list }
purpose-schedule = schedule
purpose-reschedule = reschedule
purpose-cancel = cancel
purpose-check = check
purpose-know-technician = know the technician for
purpose-check-weather = check the weather for
purpose-add-note = add the note to
project-not-found = I couldn't find that project on your account.
project-not-found-named = I couldn't find that project ({ $reference }) on your account, so I haven't done anything with it.
project-not-found-unnamed = I couldn't find that project on your account, so I haven't done anything with it.
cannot-schedule-completed-on = Your { $project } was completed on { $date }, so there's nothing to schedule.
cannot-schedule-completed = Your { $project } is already completed, so there's nothing to schedule.
cannot-schedule-in-progress = Your { $project } is already in progress, so it can't be rescheduled here.
cannot-schedule-cancelled = Your { $project } was cancelled, so it can't be scheduled. A person from our team can help reopen it.
cannot-schedule-status = Your { $project } is currently "{ $status }", so it can't be scheduled yet.
nothing-to-reschedule = You don't have any scheduled appointments to move right now.
nothing-to-schedule = None of your projects needs an appointment right now.
status-is = Your { $project } is { $status }.
status-appointment-on = The appointment is on { $window } at { $address }.
status-work-started = Work started on { $window }.
status-ready = It's ready to be scheduled whenever you are.
status-completed-on = It was completed on { $date }.
status-duration = The job takes about { $duration }.
duration-answer = Your { $project } takes about { $duration }.
duration-unknown = I don't have an estimate of how long your { $project } takes yet; the crew will confirm it before the day.
status-technician = Your technician is { $technician }.
technician-assigned = { $technician } is your technician for the { $project }.
technician-assigned-on = { $technician } is your technician for the { $project } on { $window }.
technician-not-assigned = A technician hasn't been assigned to your { $project } yet; you'll be told as soon as one is.
no-working-days = We don't have working days listed right now.
working-days = We schedule installations on { $days }.
closed-days = We're closed on { $days }.
your-area = your area
weather-forecast = The forecast for { $place } on { $date }: { $summary }, high { $high }°F, low { $low }°F, { $rain }% chance of rain.
weather-no-forecast = I don't have a forecast for { $place } on { $date } yet; forecasts cover the next 10 days.
weather-needs-date = Which day would you like the forecast for?
notes-unavailable = I can't show the notes right now. Please try again shortly.

## Booking

offer-dates =
    Here are the next available dates to book your { $project }:
    { $dates }
    Which date works for you?
offer-dates-reschedule =
    Here are the next available dates to move your appointment for your { $project }:
    { $dates }
    Which date works for you?
offer-week =
    In the week of { $week } I can book your { $project } on:
    { $dates }
    Which date works for you?
no-dates-that-week =
    There are no open dates in the week of { $week }. The closest I have are:
    { $dates }
    Would one of these work?
only-slot = { $time } is the only time open on { $date }.
no-day-fits = Sorry, none of the dates I have fit that.
no-day-fits-alternatives =
    Sorry, none of the dates I have fit that. The closest I can offer are:
    { $dates }
    Would one of these work?
no-time-fits =
    Sorry, no time on { $date } fits that. That day I can do:
    { $times }
    Would one of these work, or would you like another day?
changed-instead-of = { $now } instead of { $before }
changed-project = a different project
summary-changed = Changed: { $changes }.
switched-project = Okay, your { $project } then.
note-with-booking = With the booking I'll add this note for the crew: "{ $text }".
date-unavailable =
    Sorry, { $date } isn't available. The closest dates I have are:
    { $dates }
    Would one of these work?
date-too-far =
    Sorry, { $date } is too far ahead: I can only book up to { $last }. The closest dates I have are:
    { $dates }
    Would one of these work?
no-dates = There are no open dates for your { $project } in the coming weeks. Would you like me to connect you with a person?
offer-slots =
    On { $date } I can do:
    { $times }
    Which time works best?
reschedule-already-there =
    Your { $project } is already on { $date } at { $time }, so there's nothing to move. That day I can also do:
    { $times }
    Would one of these work, or would you like another day?
reschedule-already-there-only = Your { $project } is already on { $date } at { $time }, so there's nothing to move. Which other day would you like?
time-unavailable =
    { $time } isn't available on { $date }. I can do:
    { $times }
    Which time works best?
confirm-booking = Just to confirm: book your { $project } on { $date } at { $time }, at { $address }? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
confirm-reschedule = Just to confirm: move your { $project } to { $date } at { $time }, at { $address }? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
confirm-reschedule-from = Just to confirm: move your { $project }, now on { $window }, to { $date } at { $time }, at { $address }? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
booked = You're all set! Your { $project } is booked for { $date } at { $time }.
rescheduled = You're all set! Your { $project } is rescheduled for { $date } at { $time }.
booked-technician = { $technician } will be your technician.
details-on-project-page = { $channel ->
        [sms] You can see the details on your project page at the link below.
        [voice] You can see the details on your project page in our customer portal.
       *[web] You can see the details on your project page.
    }
booked-test-mode = This was a test: nothing was booked. In live mode your { $project } would now be scheduled for { $date } at { $time }.
slot-taken =
    Sorry, that time is no longer available: it was just taken by someone else. On { $date } I still have:
    { $times }
    Which one would you like?
slot-taken-day-full = Sorry, that time was just taken, and that day is now full.

## Writes whose outcome is not a plain yes or no

write-booking = booking of your { $project }
write-booking-at = booking of your { $project } for { $date } at { $time }
write-move = move of your { $project }
write-move-at = move of your { $project } for { $date } at { $time }
write-cancellation = cancellation of your { $project }
write-uncertain = The scheduling system hasn't confirmed the { $write } yet, so I can't tell you whether it went through. I'll check again with your next message (or ask me "is it booked?"); please don't book it again meanwhile.
write-did-not-happen = I checked: the { $write } didn't go through; the schedule doesn't show it. Would you like to try again?
write-in-progress = Another change to your { $project } is being made right now ({ $channel ->
        [web] maybe in another window
       *[other] maybe on our website
    }). Give it a moment, then say yes again, and I'll check the schedule first.
write-not-recorded = Sorry, I can't make changes right now because of a problem on our side. Nothing was changed; please say yes again in a minute.
project-changed = Your { $project } was just changed ({ $channel ->
        [web] maybe in another window
       *[other] maybe on our website
    }), so I didn't go ahead.
project-now-scheduled = It's now scheduled for { $window }.
project-now-status = It's now { $status }.
request-renewed = That took a little while, so I checked the calendar again.
not-booked = Okay, I haven't booked anything. Which other date or time would you prefer?

## Cancelling

confirm-cancel = Just to confirm: cancel the appointment for your { $project }, at { $address }? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
confirm-cancel-on = Just to confirm: cancel the appointment for your { $project } on { $window }, at { $address }? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
cancelled = Your appointment for the { $project } is cancelled. The project is ready to be scheduled again whenever you like.
cancelled-test-mode = This was a test: nothing was cancelled. In live mode the appointment for your { $project } would now be cancelled.
cancel-kept = Okay, I've kept your appointment as it is.
not-scheduled = Your { $project } doesn't have an appointment to cancel; it's { $status }.
nothing-to-cancel = You don't have any scheduled appointments to cancel.

## Notes

ask-note-text = What would you like the note on your { $project } to say?
confirm-note = Just to confirm: add this note for the crew to your { $project }: "{ $text }"? { $channel ->
        [voice] Please say yes or no.
       *[other] Please reply yes or no.
    }
note-dropped = OK, I won't add that note. Anything else?
note-added = I've added this note to your { $project }: "{ $text }". The crew will see it.
no-notes = There are no notes added here yet. You can say "add a note" to leave one for the crew.
note-line = { $project }: "{ $text }"
notes-list =
    Here are the notes added here:
    { $list }
stale-answer = That button was for an earlier question, so I haven't acted on it. Here's where we are now:

## Text messages: the carrier's keywords (these alone must say how to stop) and numbered choices

sms-choices = Reply { $numbers }.
sms-opted-out = You're unsubscribed from { $business } texts and will get no more messages from us. Reply START to resubscribe.
sms-opted-in = You're subscribed again to { $business } texts. How can I help with your installation?
sms-help = { $business }: I can show your installation projects and book, reschedule or cancel your appointments by text. Msg & data rates may apply. Reply STOP to unsubscribe. Need a person? Call { $phone }.
sms-unknown-number = Sorry, { $business } couldn't find an account with this phone number. Please call us at { $phone } and we'll be glad to help.
sms-unavailable = Sorry, I can't take care of that by text right now. Please try again in a few minutes.
sms-reminder-tomorrow = Reminder from { $business }: your { $project } is tomorrow, { $date }, at { $time }. Reply C to confirm or R to reschedule.
sms-reminder-today = Reminder from { $business }: your { $project } is today at { $time }. Reply C to confirm or R to reschedule.
sms-reminder = Reminder from { $business }: your { $project } is on { $date } at { $time }. Reply C to confirm or R to reschedule.
sms-reminder-confirmed = Thank you! Your appointment on { $date } at { $time } is confirmed. See you then.
