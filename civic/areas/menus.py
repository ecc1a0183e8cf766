"""The admin menu the areas app owns and other apps add their items to."""

# Other apps put their menu items into the "City" group by registering them with this hook
# (a viewset's ``menu_hook``), so this app need not know about them.
CITY_MENU_HOOK = "register_city_menu_item"
