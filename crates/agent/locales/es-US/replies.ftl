# Everything the assistant says, in US Spanish: polite, addressing the customer as "usted".
#
# Every message receives $channel (web, sms or voice); a message selects on it only where
# the wording must differ: buttons and links do not exist on every channel, and on SMS a lone
# STOP or CANCEL is a carrier opt-out keyword, so SMS wording never asks for either.
# Dates, times and numbered lists arrive already formatted, as plain text arguments.
# Keep the same keys as en-US/replies.ftl: the tests compare the two files.

## Conversation

greeting = ¡Hola! Puedo mostrarle sus proyectos, programar, reprogramar o cancelar una cita de instalación, decirle quién es su técnico y agregar notas para el equipo. ¿En qué puedo ayudarle?
hi = ¡Hola!
thanks = ¡Con gusto! ¿Hay algo más en lo que pueda ayudarle?
goodbye = ¡Hasta luego, y gracias por elegirnos!
help =
    Esto es lo que puedo hacer:
    - mostrarle sus proyectos y su estado
    - buscar una fecha y hora disponibles y programar su cita
    - reprogramar o cancelar una cita
    - decirle quién es su técnico
    - informarle nuestros días de trabajo y el pronóstico del tiempo para su cita
    - agregar una nota para el equipo y mostrarle las notas agregadas aquí
    Solo dígamelo con sus propias palabras, por ejemplo "programe mi piso para el próximo martes por la mañana".
anything-else = ¿En qué puedo ayudarle?
unclear = Disculpe, no le entendí. Puedo ayudarle a programar, reprogramar o cancelar una cita, consultar el estado de un proyecto o agregar una nota.
unclear-again = Lo siento, sigo sin entenderle. Puedo comunicarle con una persona, o puede { $channel ->
        [sms] responder con una de estas opciones:
        [voice] decir una de estas opciones:
       *[web] elegir una de estas opciones:
    }
change-not-understood = No entendí ese cambio, así que todavía no he hecho nada con { $what }. Dígame qué desea cambiar, { $channel ->
        [sms] responda sí para revisarlo otra vez, o responda "olvídelo".
       *[other] diga sí para revisarlo otra vez, o diga "alto".
    }
complaint-apology = Lamento mucho lo sucedido; no es la experiencia que queremos que usted tenga.
handoff = Pasaré esta conversación a nuestro equipo de atención al cliente; alguien se comunicará con usted en breve. Si es urgente, llámenos en nuestro horario de atención y mencione su número de pedido.
stopped = No hay problema, he detenido { $what }. No se cambió nada. ¿Algo más?
injection = Solo puedo ayudarle con sus propios proyectos y citas.
queued = Justo después de esto sigo con { $what }.
next-request = Ahora, { $what }.
resume = Ahora, volvamos a { $what }.
dropped = De acuerdo, he quitado { $what }.

## What a request or a flow is, for queued, next-request, stopped and resume

topic-booking = la programación de la cita
topic-reschedule = el cambio de su cita
topic-cancellation = la cancelación
topic-the-note = la nota
topic-your-note = su nota
topic-status = el estado
topic-technician = la información de su técnico
topic-duration = cuánto tiempo toma
topic-forecast = el pronóstico del tiempo
topic-hours = nuestro horario
topic-projects = sus proyectos
topic-notes = sus notas
topic-other-question = su otra pregunta
topic-there = lo que estábamos haciendo
topic-your-booking = la programación de su cita
topic-your-cancellation = su cancelación

## Buttons and links

button-yes = Sí
button-no = No
button-schedule-appointment = Programar cita
button-view-projects = Ver proyectos
button-check-availability = Ver disponibilidad
button-talk-to-person = Hablar con una persona
button-go-over-again = Revisarlo otra vez
button-stop = { $channel ->
        [sms] Olvídelo
       *[other] Detener
    }
button-schedule-it = Programarlo
button-pick-new-date = Elegir una nueva fecha
link-view-project = Ver su { $project }

## Errors of the scheduling system

error-unreachable = No pude comunicarme con el sistema de programación en este momento. Por favor, inténtelo de nuevo en un minuto.
error-busy = El sistema de programación está ocupado en este momento. Por favor, inténtelo de nuevo en un minuto.
error-session-expired = Su sesión ha vencido. Por favor, inicie sesión de nuevo para continuar.
error-slot-taken = Lo siento, ese horario ya no está disponible: alguien más acaba de tomarlo.
error-request-refused = El sistema de programación no pudo aceptar esa solicitud. Elijamos la fecha de nuevo.
error-system-problem = El sistema de programación tuvo un problema de su lado. Por favor, inténtelo de nuevo en breve.

## Projects

status-ready-to-schedule = Listo para programar
status-scheduled = Programado
status-in-progress = En curso
status-completed = Completado
status-cancelled = Cancelado
status-on-hold = En espera
address-on-file = la dirección registrada
order-reference = pedido { $order }
project-reference = proyecto { $id }
window-from-to = { $date } de { $start } a { $end }
window-at = { $date } a las { $time }
list-and = { $init } y { $last }
duration-minute = { $value } minuto
duration-minutes = { $value } minutos
duration-hour = { $value } hora
duration-hours = { $value } horas
duration-day = { $value } día
duration-days = { $value } días
no-projects = Todavía no veo ningún proyecto en su cuenta.
project-line = { $project } — { $status }
project-line-with-window = { $project } — { $status }, { $window }
project-list =
    Estos son sus proyectos:
    { $list }
which-project =
    ¿Para qué proyecto desea { $purpose }?
    { $list }
purpose-schedule = programar una cita
purpose-reschedule = reprogramar la cita
purpose-cancel = cancelar la cita
purpose-check = consultar el estado
purpose-know-technician = saber quién es el técnico
purpose-check-weather = consultar el pronóstico del tiempo
purpose-add-note = agregar la nota
project-not-found = No encontré ese proyecto en su cuenta.
project-not-found-named = No encontré ese proyecto ({ $reference }) en su cuenta, así que no he hecho nada con él.
project-not-found-unnamed = No encontré ese proyecto en su cuenta, así que no he hecho nada con él.
cannot-schedule-completed-on = Su { $project } se completó el { $date }, así que no hay nada que programar.
cannot-schedule-completed = Su { $project } ya se completó, así que no hay nada que programar.
cannot-schedule-in-progress = Su { $project } ya está en curso, así que no se puede reprogramar aquí.
cannot-schedule-cancelled = Su { $project } se canceló, así que no se puede programar. Una persona de nuestro equipo puede ayudarle a reabrirlo.
cannot-schedule-status = Su { $project } está en estado "{ $status }", así que todavía no se puede programar.
nothing-to-reschedule = En este momento no tiene citas programadas que cambiar.
nothing-to-schedule = En este momento ninguno de sus proyectos necesita una cita.
status-is = El estado de su { $project } es: { $status }.
status-appointment-on = La cita es el { $window } en { $address }.
status-work-started = El trabajo comenzó el { $window }.
status-ready = Está listo para programarse cuando usted lo desee.
status-completed-on = Se completó el { $date }.
status-duration = El trabajo toma aproximadamente { $duration }.
duration-answer = Su { $project } toma aproximadamente { $duration }.
duration-unknown = Todavía no tengo un estimado de cuánto tiempo toma su { $project }; el equipo se lo confirmará antes del día.
status-technician = Su técnico es { $technician }.
technician-assigned = { $technician } es su técnico para su { $project }.
technician-assigned-on = { $technician } es su técnico para su { $project } el { $window }.
technician-not-assigned = Todavía no se ha asignado un técnico a su { $project }; se lo avisaremos en cuanto se asigne uno.
no-working-days = En este momento no tenemos días de trabajo registrados.
working-days = Programamos instalaciones los días { $days }.
closed-days = Cerramos los días { $days }.
your-area = su zona
weather-forecast = El pronóstico para { $place } el { $date }: { $summary }, máxima de { $high }°F, mínima de { $low }°F, { $rain }% de probabilidad de lluvia.
weather-no-forecast = Todavía no tengo un pronóstico para { $place } el { $date }; los pronósticos cubren los próximos 10 días.
weather-needs-date = ¿Para qué día desea el pronóstico?
notes-unavailable = No puedo mostrar las notas en este momento. Por favor, inténtelo de nuevo en breve.

## Booking

offer-dates =
    Estas son las próximas fechas disponibles para programar su { $project }:
    { $dates }
    ¿Qué fecha le conviene?
offer-dates-reschedule =
    Estas son las próximas fechas disponibles para cambiar la cita de su { $project }:
    { $dates }
    ¿Qué fecha le conviene?
offer-week =
    En la semana del { $week } puedo programar su { $project } en estas fechas:
    { $dates }
    ¿Qué fecha le conviene?
no-dates-that-week =
    No hay fechas disponibles en la semana del { $week }. Las más cercanas que tengo son:
    { $dates }
    ¿Le conviene alguna de estas?
only-slot = { $time } es el único horario disponible el { $date }.
no-day-fits = Lo siento, ninguna de las fechas que tengo cumple con eso.
no-day-fits-alternatives =
    Lo siento, ninguna de las fechas que tengo cumple con eso. Las más cercanas que puedo ofrecerle son:
    { $dates }
    ¿Le conviene alguna de estas?
no-time-fits =
    Lo siento, ningún horario del { $date } cumple con eso. Ese día tengo:
    { $times }
    ¿Le conviene alguno de estos, o prefiere otro día?
changed-instead-of = { $now } en lugar de { $before }
changed-project = otro proyecto
summary-changed = Cambios: { $changes }.
switched-project = De acuerdo, entonces su { $project }.
note-with-booking = Junto con la cita agregaré esta nota para el equipo: "{ $text }".
date-unavailable =
    Lo siento, el { $date } no está disponible. Las fechas más cercanas que tengo son:
    { $dates }
    ¿Le conviene alguna de estas?
date-too-far =
    Lo siento, el { $date } está demasiado lejos: solo puedo programar hasta el { $last }. Las fechas más cercanas que tengo son:
    { $dates }
    ¿Le conviene alguna de estas?
no-dates = No hay fechas disponibles para su { $project } en las próximas semanas. ¿Desea que le comunique con una persona?
offer-slots =
    El { $date } tengo estos horarios:
    { $times }
    ¿Qué horario le conviene más?
reschedule-already-there =
    Su { $project } ya está el { $date } a las { $time }, así que no hay nada que cambiar. Ese día también tengo:
    { $times }
    ¿Le conviene alguno de estos, o prefiere otro día?
reschedule-already-there-only = Su { $project } ya está el { $date } a las { $time }, así que no hay nada que cambiar. ¿Qué otro día prefiere?
time-unavailable =
    { $time } no está disponible el { $date }. Tengo estos horarios:
    { $times }
    ¿Qué horario le conviene más?
confirm-booking = Para confirmar: ¿programo su { $project } el { $date } a las { $time }, en { $address }? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
confirm-reschedule = Para confirmar: ¿cambio su { $project } al { $date } a las { $time }, en { $address }? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
confirm-reschedule-from = Para confirmar: ¿cambio su { $project }, que ahora está el { $window }, al { $date } a las { $time }, en { $address }? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
booked = ¡Listo! La cita de su { $project } quedó programada para el { $date } a las { $time }.
rescheduled = ¡Listo! La cita de su { $project } quedó reprogramada para el { $date } a las { $time }.
booked-technician = { $technician } será su técnico.
details-on-project-page = { $channel ->
        [sms] Puede ver los detalles en la página de su proyecto, en el enlace de abajo.
        [voice] Puede ver los detalles en la página de su proyecto, en nuestro portal de clientes.
       *[web] Puede ver los detalles en la página de su proyecto.
    }
booked-test-mode = Esto fue una prueba: no se programó nada. En modo real, la cita de su { $project } quedaría programada para el { $date } a las { $time }.
slot-taken =
    Lo siento, ese horario ya no está disponible: alguien más acaba de tomarlo. El { $date } todavía tengo:
    { $times }
    ¿Cuál prefiere?
slot-taken-day-full = Lo siento, ese horario se acaba de ocupar y ese día ya está completo.

## Writes whose outcome is not a plain yes or no

write-booking = la programación de su { $project }
write-booking-at = la programación de su { $project } para el { $date } a las { $time }
write-move = el cambio de su { $project }
write-move-at = el cambio de su { $project } al { $date } a las { $time }
write-cancellation = la cancelación de su { $project }
write-uncertain = El sistema de programación todavía no ha confirmado { $write }, así que no puedo decirle si se realizó. Lo verificaré de nuevo con su próximo mensaje (o pregúnteme "¿ya está programado?"); por favor, no lo programe otra vez mientras tanto.
write-did-not-happen = Lo verifiqué: { $write } no se realizó; el calendario no lo muestra. ¿Desea intentarlo de nuevo?
write-in-progress = En este momento se está haciendo otro cambio a su { $project } ({ $channel ->
        [web] quizás en otra ventana
       *[other] quizás en nuestro sitio web
    }). Espere un momento, luego diga sí de nuevo y revisaré el calendario primero.
write-not-recorded = Lo siento, no puedo hacer cambios en este momento por un problema de nuestro lado. No se cambió nada; por favor, diga sí de nuevo en un minuto.
project-changed = Su { $project } acaba de cambiar ({ $channel ->
        [web] quizás en otra ventana
       *[other] quizás en nuestro sitio web
    }), así que no seguí adelante.
project-now-scheduled = Ahora está programado para el { $window }.
project-now-status = Ahora su estado es: { $status }.
request-renewed = Eso tomó un poco de tiempo, así que revisé el calendario de nuevo.
not-booked = De acuerdo, no he programado nada. ¿Qué otra fecha u hora prefiere?

## Cancelling

confirm-cancel = Para confirmar: ¿cancelo la cita de su { $project }, en { $address }? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
confirm-cancel-on = Para confirmar: ¿cancelo la cita de su { $project } del { $window }, en { $address }? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
cancelled = La cita de su { $project } está cancelada. El proyecto está listo para programarse de nuevo cuando usted desee.
cancelled-test-mode = Esto fue una prueba: no se canceló nada. En modo real, la cita de su { $project } quedaría cancelada.
cancel-kept = De acuerdo, dejé su cita como está.
not-scheduled = Su { $project } no tiene una cita que cancelar; su estado es: { $status }.
nothing-to-cancel = No tiene citas programadas que cancelar.

## Notes

ask-note-text = ¿Qué desea que diga la nota de su { $project }?
confirm-note = Para confirmar: ¿agrego esta nota para el equipo a su { $project }: "{ $text }"? { $channel ->
        [voice] Por favor, diga sí o no.
       *[other] Por favor, responda sí o no.
    }
note-dropped = De acuerdo, no agregaré esa nota. ¿Algo más?
note-added = Agregué esta nota a su { $project }: "{ $text }". El equipo la verá.
no-notes = Todavía no hay notas agregadas aquí. Puede decir "agregar una nota" para dejarle una al equipo.
note-line = { $project }: "{ $text }"
notes-list =
    Estas son las notas agregadas aquí:
    { $list }
stale-answer = Ese botón era de una pregunta anterior, así que no hice nada con él. Aquí es donde estamos ahora:

## Text messages: the carrier's keywords (these alone must say how to stop) and numbered choices

sms-choices = Responda { $numbers }.
sms-opted-out = Ya no recibirá mensajes de texto de { $business }. Responda START para suscribirse de nuevo.
sms-opted-in = Se suscribió de nuevo a los mensajes de { $business }. ¿En qué le puedo ayudar con su instalación?
sms-help = { $business }: por mensaje de texto le ayudo a ver sus proyectos de instalación y a programar, cambiar o cancelar sus citas. Pueden aplicarse tarifas de mensajes y datos. Responda STOP o BAJA para no recibir más mensajes. ¿Prefiere hablar con una persona? Llame al { $phone }.
sms-unknown-number = Lo sentimos, { $business } no encontró una cuenta con este número de teléfono. Llámenos al { $phone } y con gusto le ayudamos.
sms-unavailable = Lo sentimos, en este momento no puedo atender eso por mensaje de texto. Por favor, intente de nuevo en unos minutos.
sms-reminder-tomorrow = Recordatorio de { $business }: su { $project } es mañana, { $date }, a las { $time }. Responda C para confirmar o R para cambiar la fecha.
sms-reminder-today = Recordatorio de { $business }: su { $project } es hoy a las { $time }. Responda C para confirmar o R para cambiar la fecha.
sms-reminder = Recordatorio de { $business }: su { $project } es el { $date } a las { $time }. Responda C para confirmar o R para cambiar la fecha.
sms-reminder-confirmed = ¡Gracias! Su cita del { $date } a las { $time } quedó confirmada. Nos vemos entonces.
