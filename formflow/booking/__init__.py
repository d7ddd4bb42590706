"""Booking-time rules as pure functions: Swedish time, offered slots, cancellation, MakeBooking.

Nothing here reads a flow. `timeutil` converts between instants (stored in UTC) and Swedish
wall-clock time; `slots` reads a slots fixture and decides which slots a booking system offers at
a given moment; `cancel` decides whether an existing booking may still be cancelled or rebooked;
`contract` maps a booking onto the fields of the crm:scheduling MakeBooking service contract.
The rules themselves come from the region configuration (`formflow.region`).
"""
